package preflight

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/report"
)

// AccountCheck compares the caller's account with the stack's
// aws:allowedAccountIds, which the provider enforces at `pulumi up`.
func AccountCheck(stack string, allowed []string, account, caller string) Check {
	c := Check{Name: "account"}
	switch {
	case len(allowed) == 0:
		c.Status = report.Warn
		c.Detail = fmt.Sprintf("account %s (%s); the stack sets no aws:allowedAccountIds, so nothing stops a deploy to the wrong account: `pulumi config set --path 'aws:allowedAccountIds[0]' %s --stack %s`",
			account, caller, account, stack)
	case slices.Contains(allowed, account):
		c.Status = report.Pass
		c.Detail = fmt.Sprintf("account %s (%s) is the stack's aws:allowedAccountIds account", account, caller)
	default:
		c.Status = report.Fail
		c.Detail = fmt.Sprintf("the credentials are for account %s (%s) but the stack's aws:allowedAccountIds is %s; use that account's profile (--profile, AWS_PROFILE, or the stack's aws:assumeRole role); the other checks were not run",
			account, caller, strings.Join(allowed, ", "))
	}
	return c
}

// Deployer is who runs `pulumi up`, mapped to the IAM ARN a key policy can
// name.
type Deployer struct {
	ARN string // "" when it could not be looked up
	// How says how ARN was found, for the report.
	How string
	// Err is the lookup failure (iam:GetRole denied, for example), already
	// explained; ARN is then "".
	Err error
}

// ResolveDeployer maps the caller to an IAM ARN the way IAM's session
// context (aws.iam.getSessionContext, which the program calls) does: an
// assumed-role session becomes its role's ARN, with the role's path, which
// only iam:GetRole knows; an IAM user or the root is itself. Anything else
// is returned as it is, for the config rules to judge.
func ResolveDeployer(ctx context.Context, client IAMAPI, caller string, t awsclient.Target) Deployer {
	a, err := arn.Parse(caller)
	if err != nil || a.Service != "sts" || !strings.HasPrefix(a.Resource, "assumed-role/") {
		return Deployer{ARN: caller, How: "the caller itself"}
	}
	parts := strings.Split(strings.TrimPrefix(a.Resource, "assumed-role/"), "/")
	role := parts[0]
	out, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(role)})
	if awsclient.Classify(err) == awsclient.KindNotFound {
		// Explain's advice for "not found" is about stack outputs, which
		// preflight does not read.
		return Deployer{Err: fmt.Errorf("iam:GetRole found no role %s in account %s, although the session is of that role (deleted since?); run preflight with credentials of an existing role", role, t.Account)}
	}
	if err != nil {
		t.What = "role " + role + " of the caller's session (iam:GetRole, as aws.iam.getSessionContext does)"
		return Deployer{Err: awsclient.Explain(err, t)}
	}
	if out.Role == nil || aws.ToString(out.Role.Arn) == "" {
		return Deployer{Err: errors.New("iam:GetRole returned no role ARN for " + role)}
	}
	return Deployer{ARN: aws.ToString(out.Role.Arn), How: "the session's role, from iam:GetRole"}
}

// DeployerCheck reports the resolved deployer. configErr is what the config
// rules said about it (nil when the stack does not use `deployer`, or it is
// a valid principal); usesDeployer says whether the stack names it.
func DeployerCheck(d Deployer, caller string, usesDeployer bool, configErr error) Check {
	c := Check{Name: "deployer"}
	switch {
	case d.Err != nil && usesDeployer:
		c.Status = report.Fail
		c.Detail = fmt.Sprintf("%s is an assumed-role session and its role could not be looked up: %v. pulumi up needs the same lookup for `deployer` in keyAdministrators/keyUsers; grant iam:GetRole on the role, or list the key's principals explicitly", caller, d.Err)
	case d.Err != nil:
		c.Status = report.Pass
		c.Detail = fmt.Sprintf("%s; its role's path is unknown (%v), which does not matter: the stack lists its key principals, so pulumi up does not look the deployer up", caller, d.Err)
	case configErr != nil:
		c.Status = report.Fail
		c.Detail = fmt.Sprintf("%s (%s): %s", d.ARN, d.How, awsclient.OneLine(configErr.Error()))
	case !usesDeployer:
		c.Status = report.Pass
		c.Detail = fmt.Sprintf("%s -> %s (%s); not in the key policy: the stack lists its key principals", caller, d.ARN, d.How)
	default:
		c.Status = report.Pass
		c.Detail = fmt.Sprintf("%s -> %s (%s), named in the key policy for `deployer`", caller, d.ARN, d.How)
	}
	return c
}
