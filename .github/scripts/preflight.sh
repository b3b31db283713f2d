#!/usr/bin/env bash
# _stack.yml, "labctl preflight" (issue 8): checks the lab account before
# Pulumi touches it, and writes the checklist to the job summary.
#
#   up       a failed check stops the job here (exit 1): nothing is deployed.
#   preview  the preview still runs (its diff is useful): this step exits 0
#            and says verdict=fail; preflight-verdict.sh fails the job at
#            the end.
# A preflight that could not run or judge every check (exit 2: credentials,
# usage, or a check unknown because a read was throttled or refused) stops
# either command.
#
# Env: COMMAND (up|preview), STACK, RUNNER_TEMP, GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY; LABCTL (default bin/labctl). Tested by
# tests/workflows_steps_test.go with a stand-in labctl.
set -euo pipefail
labctl=${LABCTL:-bin/labctl}
case "$COMMAND" in up | preview) ;; *)
  echo "::error::preflight runs before up or preview, not '$COMMAND'"
  exit 2
  ;;
esac

set +e
"$labctl" preflight --config "Pulumi.$STACK.yaml" --json >"$RUNNER_TEMP/preflight.json" 2>"$RUNNER_TEMP/preflight.err"
code=$?
set -e
case $code in
  0) verdict=pass ;;
  1) verdict=fail ;;
  *) verdict=error ;;
esac
{
  has_checks=false
  # jq -e on an empty file exits 0 (no output is not false): test the size too.
  if [ -s "$RUNNER_TEMP/preflight.json" ] && jq -e '.checks | length > 0' "$RUNNER_TEMP/preflight.json" >/dev/null 2>&1; then
    has_checks=true
  fi
  # Exit 2 with a report: a check could not be read (unknown), and the
  # report says which and when to retry; without one, preflight did not run.
  echo "### Preflight of \`$STACK\`: $(case $code in 0) echo pass ;; 1) echo fail ;; *) if $has_checks; then echo "unknown (exit $code: a check could not be read; retry)"; else echo "could not run (exit $code)"; fi ;; esac)"
  echo
  if $has_checks; then
    echo "| check | status | detail |"
    echo "|---|---|---|"
    jq -r '.checks[] | "| \(.name) | \(if .status == "pass" or .status == "ok" then .status else "**\(.status)**" end) | \(.detail // "" | gsub("\\|"; "\\|") | gsub("\n"; " ")) |"' "$RUNNER_TEMP/preflight.json"
  else
    echo '```'
    head -c 4000 "$RUNNER_TEMP/preflight.err"
    echo '```'
  fi
} >>"$GITHUB_STEP_SUMMARY"
echo "verdict=$verdict" >>"$GITHUB_OUTPUT"

case "$verdict" in
  pass) ;;
  fail)
    if [ "$COMMAND" = preview ]; then
      echo "::warning::labctl preflight: a check failed for $STACK (see the job summary); the preview runs, then the job fails"
    else
      echo "::error::labctl preflight: a check failed for $STACK (see the job summary); $COMMAND stops here"
      exit 1
    fi
    ;;
  *)
    echo "::error::labctl preflight could not check $STACK: $(head -n 1 "$RUNNER_TEMP/preflight.err")"
    exit 1
    ;;
esac
