#!/usr/bin/env bash
# Cross-compiles labctl and labplan for every release target
# (.goreleaser.yaml: linux, darwin, windows on amd64 and arm64), the way the
# release builds them (CGO_ENABLED=0, -trimpath), so a platform-specific
# break shows on every push rather than at the tag. The binaries go to a
# temporary directory and are thrown away.
#
#   bash .ci/cross.sh            every target
#   TARGETS="linux/arm64" bash .ci/cross.sh
set -euo pipefail
cd "$(dirname "$0")/.."

targets=${TARGETS:-"linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64"}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

start=$SECONDS
for t in $targets; do
  goos=${t%/*} goarch=${t#*/}
  t0=$SECONDS
  mkdir -p "$out/$goos-$goarch"
  CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch \
    go build -trimpath -o "$out/$goos-$goarch/" ./cmd/labctl ./cmd/labplan
  printf 'cross: %-14s ok (%ds)\n' "$goos/$goarch" $((SECONDS - t0))
done
echo "cross: $(wc -w <<<"$targets") target(s) in $((SECONDS - start))s"
