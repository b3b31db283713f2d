#!/usr/bin/env bash
# Defines on the runner the AWS CLI profile of every stack file that names
# one (aws:profile), so that a stack job (_stack.yml: Pulumi and labctl) and
# a class clean (_clean.yml: labctl class clean) reach a lab account the same
# way (docs/classes.md): the profile assumes LAB_ROLE_NAME in the stack's
# account (aws:allowedAccountIds[0]) with the job's OIDC credentials
# (credential_source Environment), in the stack's region. A stack file with
# aws:assumeRole needs no profile: the provider and labctl assume the role.
#
# Env: STACK (one stack) or CLASS (every stack of classes/$CLASS.yaml);
# LAB_ROLE_NAME (default kms-lab-deployer). AWS names the aws command
# (default aws). Every stack file's problems are reported, then the script
# exits 1 having defined nothing; exit 0 once every profile is defined.
# Tested by tests/workflows_steps_test.go with a stand-in aws.
set -euo pipefail
aws=${AWS:-aws}
role_name=${LAB_ROLE_NAME:-kms-lab-deployer}

if [ -n "${STACK:-}" ]; then
  stacks=("$STACK")
elif [ -n "${CLASS:-}" ]; then
  class="classes/$CLASS.yaml"
  [ -f "$class" ] || { echo "::error file=$class::no class file $class"; exit 1; }
  mapfile -t stacks < <(yq -r '.stacks[]' "$class")
else
  echo "::error::set STACK (one stack) or CLASS (a class file's stacks)"
  exit 2
fi

failed=0
defs=()
declare -A defined # profile -> the stack and role ARN it was first defined for
for stack in "${stacks[@]}"; do
  file="Pulumi.$stack.yaml"
  fail() { echo "::error file=$file::$*"; failed=1; }
  if [ ! -f "$file" ]; then
    fail "no stack file $file"
    continue
  fi
  # One yq a file: profile, role ARN, region and account, a line each.
  mapfile -t v < <(yq -r '.config["aws:profile"] // "", .config["aws:assumeRole"].roleArn // "", .config["aws:region"] // "", .config["aws:allowedAccountIds"][0] // ""' "$file")
  profile=${v[0]:-} role=${v[1]:-} region=${v[2]:-} account=${v[3]:-}
  [ -n "$profile" ] || continue
  if [ -n "$role" ]; then
    fail "set aws:assumeRole or aws:profile, not both"
    continue
  fi
  [ -n "$region" ] || fail "aws:region is not set: the profile $profile needs the stack's region"
  [[ "$account" =~ ^[0-9]{12}$ ]] || fail "aws:allowedAccountIds must hold the lab account's 12-digit ID: the profile $profile assumes a role there"
  case "$region" in
    cn-*) partition="aws-cn" ;;
    us-gov-*) partition="aws-us-gov" ;;
    *) partition="aws" ;;
  esac
  arn="arn:$partition:iam::$account:role/$role_name"
  if [ -n "${defined[$profile]:-}" ]; then
    read -r first first_arn first_region <<<"${defined[$profile]}"
    if [ "$first_arn $first_region" != "$arn $region" ]; then
      fail "the profile $profile is also the profile of stack $first, for another account or region: give each its own name"
    fi
    continue
  fi
  defined[$profile]="$stack $arn $region"
  defs+=("$profile $arn $region $stack")
done
[ "$failed" = 0 ] || exit 1

for def in "${defs[@]}"; do
  read -r profile arn region stack <<<"$def"
  "$aws" configure set "profile.$profile.role_arn" "$arn"
  "$aws" configure set "profile.$profile.credential_source" Environment
  "$aws" configure set "profile.$profile.role_session_name" "kms-lab-$stack"
  "$aws" configure set "profile.$profile.region" "$region"
  echo "profile $profile: assumes $arn in $region (stack $stack)"
done
