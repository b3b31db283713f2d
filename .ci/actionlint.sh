#!/usr/bin/env bash
# Lints every GitHub Actions workflow with actionlint (and, through it, every
# `run:` script with shellcheck). Exits non-zero on any finding.
#
# actionlint is built from the Go module proxy at a pinned version into a cache
# directory outside the repository (go.mod is not touched); later runs reuse it.
# The shellcheck binary comes from the distribution's package (apt-get) when missing.
#
#   bash .ci/actionlint.sh            lint .github/workflows/*.yml
#   ACTIONLINT_SHELLCHECK=off bash .ci/actionlint.sh   without shellcheck
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT_VERSION=v1.7.12

cache="${XDG_CACHE_HOME:-$HOME/.cache}/kms-lab-tools/actionlint-$ACTIONLINT_VERSION"
actionlint="$cache/actionlint"
if [ ! -x "$actionlint" ]; then
  echo "installing actionlint $ACTIONLINT_VERSION"
  mkdir -p "$cache"
  # `go install pkg@version` builds outside this module: go.mod stays as it is.
  GOBIN="$cache" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
fi

shellcheck_flag=()
if [ "${ACTIONLINT_SHELLCHECK:-on}" = off ]; then
  shellcheck_flag=(-shellcheck=)
elif ! command -v shellcheck >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing shellcheck"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck >/dev/null
  fi
  if ! command -v shellcheck >/dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then
      echo "shellcheck is missing and could not be installed" >&2
      exit 1
    fi
    echo "warning: shellcheck is missing; run: scripts are not checked (install shellcheck)" >&2
    shellcheck_flag=(-shellcheck=)
  fi
fi

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if [ "${#workflows[@]}" -eq 0 ]; then
  echo "no workflows in .github/workflows" >&2
  exit 1
fi

"$actionlint" -version | head -n 1
if command -v shellcheck >/dev/null 2>&1 && [ "${#shellcheck_flag[@]}" -eq 0 ]; then
  shellcheck --version | sed -n 's/^version: /shellcheck /p'
fi
# -pyflakes= : no Python in these workflows' run: scripts.
"$actionlint" -no-color -pyflakes= "${shellcheck_flag[@]}" "${workflows[@]}"
echo "actionlint: ${#workflows[@]} workflow(s), no findings"
