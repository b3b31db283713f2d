#!/usr/bin/env bash
# Times `labctl class status --mode by-hand` over a class of ACCOUNTS
# complete, hand-done labs (default 20), each in its own moto account reached
# by sts:AssumeRole, with seeded CloudTrail log files: wall time per run
# (ns/op), labctl's peak RSS and CPU, the HTML page's size and the AWS API
# calls per account, at --parallel 1 and 8. With WATCH=1 it also runs
# `labctl class watch --every 1s` until 30 sweeps and reports its memory.
# Needs python3 with moto[server].
#
#   bash bench/class-status.sh [RUNS]            # default 3 runs of each
#   ACCOUNTS=300 WATCH=1 bash bench/class-status.sh 1
#
# The figures are an emulator's: one moto process answers every account.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
accounts="${ACCOUNTS:-20}"
bench='^BenchmarkClassStatus$'
if [ "${WATCH:-0}" = 1 ]; then bench='^BenchmarkClass(Status|Watch)$'; fi
go test ./tests/labctlclass -count=1 -run '^$' -bench "$bench" -benchtime "${runs}x" -bench-accounts "$accounts" -timeout 120m -v
