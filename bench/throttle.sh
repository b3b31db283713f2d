#!/usr/bin/env bash
# throttle.sh: issue 17's figure, the retries a 20-account
# `labctl class status --mode by-hand` makes when 30% of the requests are
# throttled (S3's 503 SlowDown, KMS's and CloudTrail's ThrottlingException,
# STS's Throttling, from the seeded front of internal/testenv/throttle in
# front of moto), and its wall time, beside the same run unthrottled.
# labctl's own retry bounds (10 attempts, waits up to 8s) and --parallel 8.
# Needs moto (python3 -m moto.server); the benchmark starts it on a free
# loopback port.
#
#   bash bench/throttle.sh [RUNS]    # default 3 runs of each
#
# retries/op is the front's throttle count (each throttled request is one
# retry by the SDK), calls/op the requests it let through, ns/op the wall
# time of one class status. The figures are an emulator's.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
go test ./tests/throttle -count=1 -run '^$' -bench '^BenchmarkClassStatus20At30$' -benchtime "${runs}x" -timeout 30m -v
