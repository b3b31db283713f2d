#!/usr/bin/env bash
# The teardown of one class's lab, by the class file's mode (docs/teardown.md):
#
#   deployed  pulumi destroy of one stack (_stack.yml), refreshed first, and
#             tried a second time when the first fails (say, a log file
#             delivered while the bucket was being emptied). Writes
#             first=success|failure and second=success|failure|skipped.
#   by-hand   labctl class clean --yes over the whole class (_clean.yml):
#             nothing of it is in a Pulumi stack, so it is found by the
#             guide's names in each account. Writes the report to
#             $RUNNER_TEMP/clean/<class>.json and a table to the summary.
#
# Env: MODE; deployed: REF (the stack), REMOVE (true: --remove); by-hand:
# CLASS. RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY. PULUMI and LABCTL
# name the commands (default pulumi and bin/labctl). Exit 0 when the lab is
# gone, 1 when something is left or the command failed.
# Tested by tests/workflows_steps_test.go with stand-in pulumi and labctl.
set -euo pipefail
pulumi=${PULUMI:-pulumi}
labctl=${LABCTL:-bin/labctl}

case "${MODE:-}" in
  deployed)
    args=(destroy --stack "$REF" --yes --non-interactive --refresh --skip-preview)
    if [ "${REMOVE:-false}" = true ]; then args+=(--remove); fi
    if "$pulumi" "${args[@]}"; then
      printf 'first=success\nsecond=skipped\n' >>"$GITHUB_OUTPUT"
      exit 0
    fi
    echo "::warning::pulumi destroy of $REF failed once; trying again"
    if "$pulumi" "${args[@]}"; then
      printf 'first=failure\nsecond=success\n' >>"$GITHUB_OUTPUT"
      exit 0
    fi
    printf 'first=failure\nsecond=failure\n' >>"$GITHUB_OUTPUT"
    echo "::error::pulumi destroy of $REF failed twice; the teardown report says what is left"
    exit 1
    ;;
  by-hand)
    mkdir -p "$RUNNER_TEMP/clean"
    report="$RUNNER_TEMP/clean/$CLASS.json"
    set +e
    "$labctl" class clean "classes/$CLASS.yaml" --yes --format json >"$report" 2>"$RUNNER_TEMP/clean.err"
    code=$?
    set -e
    {
      echo "### Clean of class \`$CLASS\` (mode by-hand): $(case $code in 0) echo "nothing left" ;; 1) echo "something left" ;; *) echo "could not run or reach every account (exit $code)" ;; esac)"
      echo
      if [ -s "$report" ] && jq -e '.accounts | length > 0' "$report" >/dev/null 2>&1; then
        echo "| stack | account | region | status | detail |"
        echo "|---|---|---|---|---|"
        jq -r '.accounts | sort_by(.stack)[] | "| `\(.stack)` | \(.account) | \(.region) | \(.status) | \(.error // "" | gsub("\\|"; "\\|") | gsub("\n"; " ")) |"' "$report"
      else
        echo '```'
        head -c 4000 "$RUNNER_TEMP/clean.err"
        echo '```'
      fi
    } >>"$GITHUB_STEP_SUMMARY"
    case $code in
      0) ;;
      1)
        echo "::error::labctl class clean left something in class $CLASS (see the job summary)"
        exit 1
        ;;
      *)
        echo "::error::labctl class clean could not clean class $CLASS: $(head -n 1 "$RUNNER_TEMP/clean.err")"
        exit 1
        ;;
    esac
    ;;
  *)
    echo "::error::mode '${MODE:-}': must be deployed or by-hand (the class file's mode)"
    exit 2
    ;;
esac
