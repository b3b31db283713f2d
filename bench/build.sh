#!/usr/bin/env bash
# Measures what building the Pulumi program costs a job: a cold `go build`
# (empty build cache, as a runner without a restored cache pays it), a warm
# rebuild with no change, a warm rebuild after one edited file, the binary's
# size, and the commit recorded in it (what the workflows check).
#
#   bash bench/build.sh
#   CROSS=1 bash bench/build.sh     also the release targets (make cross)
#
# The module cache is left alone (a runner downloads modules separately);
# only the build cache starts empty for the cold build.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cache="$work/gocache"
mkdir -p "$cache"

measure() { # label, command...
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || {
    cat "$work/err" >&2
    exit 1
  }
  read -r secs kb <"$work/time"
  printf '%-44s %8.1f s   peak RSS %6d MB\n' "$label" "$secs" $((kb / 1024))
}

echo "go build of the program (main package), $(nproc) CPU(s), $(go version | cut -d' ' -f3)"
GOCACHE="$cache" measure "cold (empty GOCACHE)" go build -buildvcs=true -o "$work/kms-lab" .
GOCACHE="$cache" measure "warm, no change" go build -buildvcs=true -o "$work/kms-lab" .
# An edited program file: copy the tree so the working copy stays untouched.
mkdir -p "$work/src"
git ls-files -z | xargs -0 cp --parents -t "$work/src"
echo "// edited" >>"$work/src/internal/labstack/program.go"
(cd "$work/src" && GOCACHE="$cache" GOFLAGS=-buildvcs=false measure "warm, one program file edited" go build -o "$work/kms-lab-edited" .)

size=$(stat -c %s "$work/kms-lab")
printf '%-44s %8.1f MB\n' "binary size" "$(echo "$size / 1048576" | bc -l)"
gzip -c "$work/kms-lab" | wc -c | awk '{printf "%-44s %8.1f MB\n", "binary size, gzip (artifact upload)", $1 / 1048576}'
# The machine's GOFLAGS may say -buildvcs=false; the workflows build with
# -buildvcs=true so that every job can check the commit in the binary.
go version -m "$work/kms-lab" | awk '$2 ~ /^vcs\.(revision|modified)=/ {printf "%-44s %s\n", "recorded (go version -m)", $2}'

# With CROSS=1: the release's cross-compile (.ci/cross.sh, what `make cross`
# runs in CI), cold and then warm, with the same empty-then-filled cache.
if [ "${CROSS:-0}" = 1 ]; then
  echo "make cross: labctl and labplan for 6 targets (CGO_ENABLED=0, -trimpath)"
  GOCACHE="$work/crosscache" measure "cross, cold (empty GOCACHE)" bash .ci/cross.sh
  GOCACHE="$work/crosscache" measure "cross, warm, no change" bash .ci/cross.sh
fi
