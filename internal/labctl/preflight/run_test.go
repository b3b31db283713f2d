package preflight

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/report"
)

// deniedTrails refuses DescribeTrails as CloudTrail refuses a caller
// without cloudtrail:DescribeTrails: AccessDeniedException.
type deniedTrails struct{ *fakeTrails }

func (deniedTrails) DescribeTrails(context.Context, *cloudtrail.DescribeTrailsInput, ...func(*cloudtrail.Options)) (*cloudtrail.DescribeTrailsOutput, error) {
	return nil, &smithy.OperationError{ServiceID: "CloudTrail", OperationName: "DescribeTrails",
		Err: &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not authorized"}}
}

// Issue 23: a check stays in the list whatever happens to it. Here the
// one read behind three checks is refused (unknown, each with the reason
// and the fix), and the other steps are not run because of another
// check (each names it): every name of the step list comes back, in order.
func TestRunListsEveryCheck(t *testing.T) {
	p := &Preflight{Stack: "s", Account: labAccount, Region: "us-west-2", Caller: deployerARN,
		Config: &config.Config{TrailName: "myTrail"}, CloudTrail: deniedTrails{&fakeTrails{}}}
	skip := map[string]Check{}
	for _, name := range []string{"key-principals", "account-public-access", "alias-name", "bucket-name", "deployer-permissions"} {
		skip[name] = notRun(name, "the key policy cannot be built for this deployer", "deployer")
	}
	checks := p.Run(context.Background(), skip)
	var names []string
	for _, c := range checks {
		names = append(names, c.Name)
	}
	assert.Equal(t, checkNames[2:], names)
	for _, c := range checks {
		assert.Equal(t, report.Unknown, c.Status, c.Name)
		switch c.Name {
		case "trail-name", "trail-quota", "management-events":
			assert.Equal(t, "not checked: access denied for "+deployerARN+" on cloudtrail:DescribeTrails reading the trails of us-west-2 (account "+labAccount+", us-west-2): "+
				"use the lab account's administrator profile (--profile) or grant cloudtrail:DescribeTrails; run preflight again once that is fixed", c.Detail)
		default:
			assert.Equal(t, "not checked: the key policy cannot be built for this deployer (see deployer)", c.Detail)
		}
	}
}
