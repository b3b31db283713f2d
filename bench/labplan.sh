#!/usr/bin/env bash
# Times the offline plan as a user runs it: whole-process wall time of the
# labplan binary on the dev stack, over several runs, plus `go run` with a
# warm build cache. Usage: bash bench/labplan.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
bin="$(mktemp -d)/labplan"
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/labplan

ms() { date +%s%N; }
times=()
for _ in $(seq "$runs"); do
  start=$(ms)
  "$bin" --config Pulumi.dev.yaml >/dev/null
  times+=($(( ($(ms) - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
echo "labplan binary, $runs runs: min ${sorted[0]} ms, median ${sorted[$((runs / 2))]} ms, max ${sorted[$((runs - 1))]} ms"

if command -v /usr/bin/time >/dev/null; then
  /usr/bin/time -f "labplan binary peak RSS: %M KB" "$bin" --config Pulumi.dev.yaml >/dev/null
fi

go run ./cmd/labplan --config Pulumi.dev.yaml >/dev/null # warm go run's cache
gr=()
for _ in 1 2 3 4 5; do
  start=$(ms)
  go run ./cmd/labplan --config Pulumi.dev.yaml >/dev/null
  gr+=($(( ($(ms) - start) / 1000000 )))
done
sorted=($(printf '%s\n' "${gr[@]}" | sort -n))
echo "go run ./cmd/labplan (warm cache), 5 runs: min ${sorted[0]} ms, median ${sorted[2]} ms, max ${sorted[4]} ms"
