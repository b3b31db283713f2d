#!/usr/bin/env bash
# class-clean.sh: issue 15's figure, `labctl class clean --yes` over 20 moto
# accounts, each with a lab whose bucket holds 1,000 log files. Needs moto
# (python3 -m moto.server); the benchmark starts it on a free loopback port.
# Prints the benchmark line: ns/op is the wall time of one class clean,
# peak-rss-MB the test process's peak resident set (seeding included, so an
# upper bound for class clean's). /usr/bin/time -v, when present, adds the
# whole process's figures.
set -euo pipefail
cd "$(dirname "$0")/.."
args=(test -run '^$' -bench '^BenchmarkClassClean$' -benchtime 1x -count "${COUNT:-1}" ./tests/labctlclean/)
if [[ -x /usr/bin/time ]]; then
	/usr/bin/time -v go "${args[@]}" 2>&1 | grep -E 'Benchmark|ok|FAIL|Maximum resident|Elapsed'
else
	go "${args[@]}"
fi
