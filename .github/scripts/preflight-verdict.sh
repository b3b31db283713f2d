#!/usr/bin/env bash
# _stack.yml, "Preflight verdict", the job's last step: a preview whose
# preflight failed ran (preflight.sh let it), and now fails the job, so a
# pull request shows a red check for an account that could not be deployed.
#
# Env: VERDICT (preflight.sh's output: pass, fail, error or empty when the
# step did not run), STACK. Tested by tests/workflows_steps_test.go.
set -euo pipefail
if [ "${VERDICT:-}" = fail ]; then
  echo "::error::labctl preflight failed for $STACK; the preview ran, but deploying this stack would stop at preflight (see the job summary)"
  exit 1
fi
