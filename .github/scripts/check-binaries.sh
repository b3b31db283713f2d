#!/usr/bin/env bash
# _stack.yml, "Check the prebuilt binaries": refuses to run a binary built
# from another commit than the one this job checked out. The artifact's name,
# bin/manifest.json and every binary's recorded vcs.revision must all be
# HEAD, and no binary may have been built from a modified tree. Then the job's
# copy of Pulumi.yaml (never committed) is pointed at bin/kms-lab.
#
# Env: ARTIFACT (kms-lab-bin-<commit>), GITHUB_OUTPUT. Run in the checkout,
# with the artifact downloaded to bin/. Tested by tests/workflows_build_test.go.
set -euo pipefail
fail() {
  echo "::error::$*"
  exit 1
}
head=$(git rev-parse HEAD)
[ "$ARTIFACT" = "kms-lab-bin-$head" ] ||
  fail "the artifact $ARTIFACT was not built from this job's commit $head; refusing to run a binary from another commit"
[ "$(jq -r .commit bin/manifest.json)" = "$head" ] || fail "bin/manifest.json names another commit than $head"
for b in bin/kms-lab bin/labctl bin/driftreport; do
  [ -f "$b" ] || fail "$b is missing from $ARTIFACT"
  chmod +x "$b" # artifacts do not keep the executable bit
  info=$(go version -m "$b")
  rev=$(awk '$1 == "build" && $2 ~ /^vcs\.revision=/ {sub(/^vcs\.revision=/, "", $2); print $2}' <<<"$info")
  modified=$(awk '$1 == "build" && $2 ~ /^vcs\.modified=/ {sub(/^vcs\.modified=/, "", $2); print $2}' <<<"$info")
  [ "$rev" = "$head" ] ||
    fail "$b was built from commit ${rev:-unknown}, this job checked out $head; refusing to run a binary from another commit"
  [ "$modified" = false ] || fail "$b was built from a tree with local changes (vcs.modified=${modified:-unknown})"
done
# The job's copy of Pulumi.yaml only: run the prebuilt program.
grep -qx 'runtime: go' Pulumi.yaml ||
  fail "Pulumi.yaml no longer says 'runtime: go' on one line, which this step rewrites to run bin/kms-lab"
sed -i 's|^runtime: go$|runtime:\n  name: go\n  options:\n    binary: bin/kms-lab|' Pulumi.yaml
echo "aws-plugin=$(jq -r .awsPlugin bin/manifest.json)" >>"$GITHUB_OUTPUT"
