package preflight

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/micahhausler/aws-iam-policy/policy"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/report"
)

// maxListed keeps a FAIL line readable when many actions are denied.
const maxListed = 8

// permissionCheck simulates the deployer's IAM policies
// (iam:SimulatePrincipalPolicy) against every action and resource of the
// committed deployer policy. Where that cannot be done the check is a warn
// that says it was not checked, and why; where IAM did not answer
// (throttled, 5xx, timeout) it is unknown, to be retried.
func (p *Preflight) permissionCheck(ctx context.Context) ([]Check, error) {
	c := Check{Name: "deployer-permissions", Status: report.Warn}
	switch {
	case p.DeployerPolicy == nil:
		c.Detail = "not checked: " + p.DeployerPolicyNote
		return []Check{c}, nil
	case p.Deployer == "":
		c.Detail = "not checked: the deployer could not be looked up (see deployer)"
		return []Check{c}, nil
	}
	if a, err := arn.Parse(p.Deployer); err == nil && a.Resource == "root" {
		// SimulatePrincipalPolicy takes a user, group or role ARN.
		c.Detail = "not checked: IAM cannot simulate the account root; the root may call every action unless an organization's SCP denies it"
		return []Check{c}, nil
	}
	var denied []string
	simulated := 0
	for _, st := range p.DeployerPolicy.Statements.Values() {
		if st.Effect != policy.EffectAllow || st.Action == nil {
			continue
		}
		actions := st.Action.Values()
		in := &iam.SimulatePrincipalPolicyInput{PolicySourceArn: aws.String(p.Deployer), ActionNames: actions}
		if st.Resource != nil && !slices.Equal(st.Resource.Values(), []string{"*"}) {
			in.ResourceArns = st.Resource.Values()
		}
		pages := iam.NewSimulatePrincipalPolicyPaginator(p.IAM, in)
		for pages.HasMorePages() {
			out, err := pages.NextPage(ctx)
			if err != nil {
				c.Detail = p.notSimulated(err)
				if awsclient.Classify(err).Transient() {
					// Throttled, 5xx or timed out: IAM did not answer, so
					// nothing is known of the permissions until a retry.
					c.Status = report.Unknown
				}
				return []Check{c}, nil
			}
			for _, r := range out.EvaluationResults {
				simulated++
				if r.EvalDecision != "allowed" {
					denied = append(denied, fmt.Sprintf("%s on %s (%s)", aws.ToString(r.EvalActionName), aws.ToString(r.EvalResourceName), r.EvalDecision))
				}
			}
		}
	}
	slices.Sort(denied)
	denied = slices.Compact(denied)
	if len(denied) == 0 {
		c.Status = report.Pass
		c.Detail = fmt.Sprintf("%s may do all %d action(s) of the deployer policy (iam:SimulatePrincipalPolicy)", p.Deployer, simulated)
		return []Check{c}, nil
	}
	shown := denied
	more := ""
	if len(shown) > maxListed {
		shown, more = shown[:maxListed], fmt.Sprintf(" and %d more", len(denied)-maxListed)
	}
	c.Status = report.Fail
	c.Detail = fmt.Sprintf("%s is denied %d of the deployer policy's actions: %s%s; attach the deployer policy (`labplan deployer-policy`) to it",
		p.Deployer, len(denied), strings.Join(shown, "; "), more)
	return []Check{c}, nil
}

// notSimulated says why the simulation could not run.
func (p *Preflight) notSimulated(err error) string {
	if awsclient.Classify(err) == awsclient.KindAccessDenied {
		return fmt.Sprintf("not checked: %s may not call iam:SimulatePrincipalPolicy on %s; grant it to have preflight check the deployer's permissions", p.Caller, p.Deployer)
	}
	return "not checked: iam:SimulatePrincipalPolicy failed: " + awsclient.OneLine(p.explain(err, "the deployer's permissions").Error())
}
