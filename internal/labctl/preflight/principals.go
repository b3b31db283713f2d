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

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/report"
)

// principalChecks makes sure every principal of the key policy exists. KMS
// refuses a key policy naming one that does not: "The principals in the key
// policy must exist and be visible to KMS" (AWS KMS API Reference, CreateKey,
// parameter Policy), answered with MalformedPolicyDocumentException "Policy
// contains a statement with one or more invalid principals" - after the
// bucket and trail may already have been created.
func (p *Preflight) principalChecks(ctx context.Context) ([]Check, error) {
	roles := map[string][]string{} // principal -> settings naming it
	for _, a := range p.Config.KeyAdministrators {
		roles[a] = append(roles[a], config.KeyAdministrators)
	}
	for _, u := range p.Config.KeyUsers {
		roles[u] = append(roles[u], config.KeyUsers)
	}
	principals := make([]string, 0, len(roles))
	for pr := range roles {
		principals = append(principals, pr)
	}
	slices.Sort(principals)

	var found, missing, elsewhere []string
	for _, pr := range principals {
		exists, err := p.principalExists(ctx, pr)
		switch {
		case errors.Is(err, errOtherAccount):
			elsewhere = append(elsewhere, pr)
		case err != nil:
			return nil, err
		case exists:
			found = append(found, pr)
		default:
			missing = append(missing, fmt.Sprintf("%s (%s)", pr, strings.Join(roles[pr], ", ")))
		}
	}
	c := Check{Name: "key-principals"}
	switch {
	case len(missing) > 0:
		c.Status = report.Fail
		c.Detail = fmt.Sprintf("not found in account %s: %s. KMS rejects a key policy naming a principal that does not exist (MalformedPolicyDocumentException: Policy contains a statement with one or more invalid principals); create it, or remove it from the setting named in brackets in Pulumi.%s.yaml",
			p.Account, strings.Join(missing, "; "), p.Stack)
	case len(elsewhere) > 0:
		c.Status = report.Warn
		c.Detail = fmt.Sprintf("in another account, not checked (IAM answers only for its own account): %s; found: %s", strings.Join(elsewhere, ", "), listOrNone(found))
	case len(found) == 0:
		c.Status = report.Pass
		c.Detail = "no key administrators or users besides the account root statement"
	default:
		c.Status = report.Pass
		c.Detail = "all exist: " + strings.Join(found, ", ")
	}
	return []Check{c}, nil
}

var errOtherAccount = errors.New("principal in another account")

// principalExists asks IAM for a user or role by name and compares the ARN
// it reports, which includes the path: a user named in the policy with the
// wrong path does not exist for KMS either.
func (p *Preflight) principalExists(ctx context.Context, principal string) (bool, error) {
	a, err := arn.Parse(principal)
	if err != nil {
		return false, fmt.Errorf("key principal %q is not an ARN", principal)
	}
	if a.AccountID != p.Account {
		return false, errOtherAccount
	}
	if a.Resource == "root" {
		return true, nil // an account's root always exists
	}
	kind, rest, _ := strings.Cut(a.Resource, "/")
	name := rest[strings.LastIndex(rest, "/")+1:]
	var got string
	switch kind {
	case "user":
		out, err := p.IAM.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})
		if awsclient.Classify(err) == awsclient.KindNotFound {
			return false, nil
		}
		if err != nil {
			return false, p.explain(err, "IAM user "+name+" (key principal "+principal+")")
		}
		got = aws.ToString(out.User.Arn)
	case "role":
		out, err := p.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
		if awsclient.Classify(err) == awsclient.KindNotFound {
			return false, nil
		}
		if err != nil {
			return false, p.explain(err, "IAM role "+name+" (key principal "+principal+")")
		}
		got = aws.ToString(out.Role.Arn)
	default:
		return false, fmt.Errorf("key principal %s is neither an IAM user, a role nor the account root", principal)
	}
	return got == principal, nil
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}
