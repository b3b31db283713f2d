#!/usr/bin/env bash
# Times `labctl class status --mode by-hand` over a class of 20 complete,
# hand-done labs, each in its own moto account reached by sts:AssumeRole,
# with seeded CloudTrail log files: wall time per run (ns/op), labctl's peak
# RSS and CPU, at --parallel 1 and 8. Needs python3 with moto[server].
#
#   bash bench/class-status.sh [RUNS]     # default 3 runs of each
#
# The figures are an emulator's: one moto process answers every account.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
go test ./tests/labctlclass -count=1 -run '^$' -bench '^BenchmarkClassStatus$' -benchtime "${runs}x"
