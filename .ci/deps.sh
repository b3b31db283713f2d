#!/usr/bin/env bash
# Installs what the whole test suite needs beyond Go, when it is missing:
# moto's server (the S3/KMS/CloudTrail/IAM/STS emulator of the labctl tests)
# and Chromium (the class status page is tested in a real headless browser).
# `make test` runs it; so does CI through make. Safe to run again: it only
# installs what is not there.
#
#   bash .ci/deps.sh
set -euo pipefail

# Root installs with apt-get directly; a user with sudo through sudo.
apt_get() {
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo DEBIAN_FRONTEND=noninteractive apt-get "$@"
  else
    echo "deps: apt-get $* needs root; install it by hand (docs/testing.md)" >&2
    return 1
  fi
}
apt_updated=false
apt_install() {
  command -v apt-get >/dev/null 2>&1 || {
    echo "deps: no apt-get here; install $* by hand (docs/testing.md)" >&2
    return 1
  }
  if [ "$apt_updated" = false ]; then
    apt_get update -qq >/dev/null
    apt_updated=true
  fi
  apt_get install -y -qq "$@" >/dev/null
}

echo "== moto server (S3/KMS/CloudTrail emulator for the labctl tests)"
if ! python3 -c 'import moto.server, flask' 2>/dev/null; then
  # pip first (moto's current release); Debian's python3-moto where pip may
  # not install into the system Python (PEP 668).
  python3 -m pip install --quiet "moto[server]" 2>/dev/null ||
    apt_install python3-moto python3-flask python3-flask-cors
fi
python3 -c 'import moto; print("moto", moto.__version__)'

echo "== chromium (the class status page is tested in a real headless browser)"
# GitHub's Ubuntu runners ship Google Chrome, which the test accepts (their
# chromium package is a snap).
if command -v chromium >/dev/null 2>&1; then
  chromium --version
elif command -v google-chrome >/dev/null 2>&1; then
  google-chrome --version
else
  apt_install chromium
  chromium --version
fi
