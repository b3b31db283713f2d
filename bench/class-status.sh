#!/usr/bin/env bash
# Times `labctl class status --mode by-hand` over a class of N complete,
# hand-done labs, each in its own moto account reached by sts:AssumeRole,
# with seeded CloudTrail log files: wall time, labctl's peak RSS and CPU,
# at --parallel 1 and 8. Needs python3 with moto[server].
#
#   bash bench/class-status.sh [N]     # default 20 accounts
#
# The figures are an emulator's: one moto process answers every account.
set -euo pipefail
cd "$(dirname "$0")/.."
accounts="${1:-20}"
go test ./tests/labctlclass -count=1 -run '^TestClassStatusBench$' -class-bench "$accounts" -v 2>&1 |
	grep -E 'built|class status|^(ok|FAIL|---)'
