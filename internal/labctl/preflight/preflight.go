package preflight

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/micahhausler/aws-iam-policy/policy"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/report"
)

// The AWS calls preflight makes, as interfaces the SDK clients satisfy.
type (
	// IAMAPI looks up users and roles and simulates the deployer's policies.
	IAMAPI interface {
		GetUser(context.Context, *iam.GetUserInput, ...func(*iam.Options)) (*iam.GetUserOutput, error)
		GetRole(context.Context, *iam.GetRoleInput, ...func(*iam.Options)) (*iam.GetRoleOutput, error)
		iam.SimulatePrincipalPolicyAPIClient
	}
	// S3ControlAPI reads the account's Block Public Access.
	S3ControlAPI interface {
		GetPublicAccessBlock(context.Context, *s3control.GetPublicAccessBlockInput, ...func(*s3control.Options)) (*s3control.GetPublicAccessBlockOutput, error)
	}
	// S3API asks whether an exact bucket name is taken, and by which
	// stack.
	S3API interface {
		HeadBucket(context.Context, *s3.HeadBucketInput, ...func(*s3.Options)) (*s3.HeadBucketOutput, error)
		GetBucketTagging(context.Context, *s3.GetBucketTaggingInput, ...func(*s3.Options)) (*s3.GetBucketTaggingOutput, error)
	}
	// KMSAPI asks whether the alias is taken, and by which stack's key.
	KMSAPI interface {
		DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
		kms.ListResourceTagsAPIClient
	}
	// CloudTrailAPI lists the region's trails, what they log and which
	// stack made them.
	CloudTrailAPI interface {
		ListTags(context.Context, *cloudtrail.ListTagsInput, ...func(*cloudtrail.Options)) (*cloudtrail.ListTagsOutput, error)
		DescribeTrails(context.Context, *cloudtrail.DescribeTrailsInput, ...func(*cloudtrail.Options)) (*cloudtrail.DescribeTrailsOutput, error)
		GetTrailStatus(context.Context, *cloudtrail.GetTrailStatusInput, ...func(*cloudtrail.Options)) (*cloudtrail.GetTrailStatusOutput, error)
		GetEventSelectors(context.Context, *cloudtrail.GetEventSelectorsInput, ...func(*cloudtrail.Options)) (*cloudtrail.GetEventSelectorsOutput, error)
	}
)

// Resource is one resource the program registers (internal/labnames, which a
// test holds to the offline plan): enough to write its `pulumi import`
// command.
type Resource struct {
	Type   string // e.g. aws:kms/alias:Alias
	Name   string // the program's resource name, e.g. lab-key
	Parent string // URN of its component
}

// Preflight is one run against one account and region.
type Preflight struct {
	Stack     string
	Config    *config.Config
	Account   string // the caller's (and, once checked, the stack's) account
	Partition string
	Region    string
	Caller    string // the caller's ARN, as STS reports it
	Deployer  string // the IAM ARN the program puts in the key policy for `deployer`
	// Resources are the program's resources (internal/labnames), for
	// import commands.
	Resources []Resource
	// DeployerPolicy is the committed least-privilege deployer policy; nil
	// when this build has none, and the permission check says so.
	DeployerPolicy *policy.Policy
	// DeployerPolicyNote says why DeployerPolicy is nil.
	DeployerPolicyNote string

	IAM        IAMAPI
	S3         S3API
	S3Control  S3ControlAPI
	KMS        KMSAPI
	CloudTrail CloudTrailAPI
	// CloudTrailIn is CloudTrail in another region, for the tags of a
	// multi-region trail whose home is there; nil reads them here.
	CloudTrailIn func(region string) CloudTrailAPI
	Endpoint     string // for messages about an unreachable emulator
}

// checkNames are preflight's checks, in the order every report lists
// them: each one appears every time, judged or not.
var checkNames = []string{
	"account", "deployer", "key-principals", "account-public-access",
	"alias-name", "bucket-name", "trail-name", "trail-quota", "management-events",
	"deployer-permissions",
}

// step is one or more checks made from the same reads.
type step struct {
	names []string
	run   func(context.Context) ([]Check, error)
}

// Run runs every account check and returns one check per name, in order.
// A read that AWS refused or did not answer makes the checks that needed
// it unknown, with the one-line reason and the fix or when to retry; a
// check listed in skip is not run, and says why.
func (p *Preflight) Run(ctx context.Context, skip map[string]Check) []Check {
	steps := []step{
		{[]string{"key-principals"}, p.principalChecks},
		{[]string{"account-public-access"}, p.publicAccessCheck},
		{[]string{"alias-name"}, p.aliasCheck},
		{[]string{"bucket-name"}, p.bucketCheck},
		{[]string{"trail-name", "trail-quota", "management-events"}, p.trailChecks},
		{[]string{"deployer-permissions"}, p.permissionCheck},
	}
	var out []Check
	for _, s := range steps {
		var checks []Check
		var err error
		if _, skipped := skip[s.names[0]]; !skipped {
			checks, err = s.run(ctx)
		}
		for _, name := range s.names {
			out = append(out, pick(name, checks, err, skip))
		}
	}
	return out
}

// pick is check name from what its step returned: the check itself, else
// why it was not run, else the read that stopped it, as unknown.
func pick(name string, checks []Check, err error, skip map[string]Check) Check {
	for _, c := range checks {
		if c.Name == name {
			return c
		}
	}
	if c, ok := skip[name]; ok {
		return c
	}
	if err == nil {
		err = errors.New("no verdict was reached")
	}
	return Check{Name: name, Status: report.Unknown, Detail: unread(err)}
}

// unread is the detail of a check whose read failed: the one-line reason,
// which says when to retry a throttled, failed or timed-out read, and the
// fix of a refused one.
func unread(err error) string {
	msg := awsclient.OneLine(err.Error())
	if !strings.Contains(msg, "retry") {
		msg += "; run preflight again once that is fixed"
	}
	return "not checked: " + msg
}

// notRun is a check not run because another's verdict leaves nothing to
// check: unknown, naming that check.
func notRun(name, because, other string) Check {
	return Check{Name: name, Status: report.Unknown, Detail: fmt.Sprintf("not checked: %s (see %s)", because, other)}
}

// explain turns an SDK error into labctl's one-line error.
func (p *Preflight) explain(err error, what string) error {
	return awsclient.Explain(err, awsclient.Target{What: what, Region: p.Region, Account: p.Account, Caller: p.Caller, Endpoint: p.Endpoint})
}

// resource finds the program's resource of type typ.
func (p *Preflight) resource(typ string) (Resource, bool) {
	for _, r := range p.Resources {
		if r.Type == typ {
			return r, true
		}
	}
	return Resource{}, false
}
