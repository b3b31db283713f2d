package preflight

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/micahhausler/aws-iam-policy/policy"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
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

// Run runs every account check. A check that could not run because AWS
// refused or failed the call is left out of the report and its error, one
// line naming the call and the fix, is returned joined with the others; the
// report holds every check that did run.
func (p *Preflight) Run(ctx context.Context) (*Report, error) {
	r := &Report{}
	var errs []error
	steps := []func(context.Context) ([]Check, error){
		p.principalChecks,
		p.publicAccessCheck,
		p.aliasCheck,
		p.bucketCheck,
		p.trailChecks,
		p.permissionCheck,
	}
	for _, step := range steps {
		checks, err := step(ctx)
		r.Checks = append(r.Checks, checks...)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return r, errors.Join(errs...)
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
