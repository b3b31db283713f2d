package preflight

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/micahhausler/aws-iam-policy/policy"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labnames"
	"github.com/kms-lab/kms-lab/internal/report"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
	"github.com/kms-lab/kms-lab/policies"
)

// Run checks the account the credentials of clients (id) reach before sc's
// stack is deployed to it: it resolves the deployer, validates the config
// for it and runs the account checks. A wrong account stops after the
// account check: every other finding would be about the wrong account.
func Run(ctx context.Context, sc *stackconfig.Config, clients *awsclient.Clients, id awsclient.Identity) (*Report, error) {
	r := &Report{}
	allowed, err := allowedAccounts(sc)
	if err != nil {
		return r, err
	}
	account := AccountCheck(sc.Stack, allowed, id.Account, id.ARN)
	r.Checks = append(r.Checks, account)
	if account.Status == report.Fail {
		return r, nil
	}
	partition := "aws"
	if a, err := arn.Parse(id.ARN); err == nil {
		partition = a.Partition
	}
	target := awsclient.Target{Region: clients.Region, Account: id.Account, Caller: id.ARN, Endpoint: clients.Endpoint}
	deployer := ResolveDeployer(ctx, clients.IAM, id.ARN, target)
	uses := config.UsesDeployer(lookup(sc))
	cfg, cfgErr := config.Load(lookup(sc), sc.ProjectDir, config.Target{Partition: partition, Deployer: deployer.ARN})
	r.Checks = append(r.Checks, DeployerCheck(deployer, id.ARN, uses, cfgErr))
	if cfgErr != nil {
		return r, nil // the key policy cannot be built: nothing more to check against it
	}
	pol, note := deployerPolicy(cfg, partition, id.Account, clients.Region, deployer.ARN, uses)
	p := &Preflight{
		Stack: sc.Stack, Config: cfg, Account: id.Account, Partition: partition, Region: clients.Region,
		Caller: id.ARN, Deployer: deployer.ARN, Resources: programResources(sc),
		DeployerPolicy: pol, DeployerPolicyNote: note,
		IAM: clients.IAM, S3: clients.S3, S3Control: clients.S3Control, KMS: clients.KMS, CloudTrail: clients.CloudTrail,
		CloudTrailIn: func(region string) CloudTrailAPI {
			return cloudtrail.New(clients.CloudTrail.Options(), func(o *cloudtrail.Options) { o.Region = region })
		},
		Endpoint: clients.Endpoint,
	}
	more, err := p.Run(ctx)
	r.Checks = append(r.Checks, more.Checks...)
	return r, err
}

// programResources are the program's AWS resources with their names and
// parents, for `pulumi import` commands. The program registers its
// resources under the same names (internal/labnames), and a test holds the
// list to the program's plan.
func programResources(sc *stackconfig.Config) []Resource {
	var out []Resource
	for _, r := range labnames.Resources() {
		out = append(out, Resource{Type: r.Type, Name: r.Name, Parent: r.ParentURN(sc.Project, sc.Stack)})
	}
	return out
}

// deployerPolicy is the committed deployer policy for this stack, or nil
// and why not.
func deployerPolicy(cfg *config.Config, partition, account, region, deployer string, uses bool) (*policy.Policy, string) {
	args := policies.DeployerPolicyArgs{
		Partition: partition, AccountID: account, Regions: []string{region},
		KeyAlias: cfg.KeyAlias, TrailName: cfg.TrailName,
		BucketName: cfg.BucketName, LooksUpDeployer: uses,
	}
	if cfg.BucketName == "" {
		args.BucketNamePrefix = cfg.BucketNamePrefix
	}
	if a, err := arn.Parse(deployer); err == nil && strings.HasPrefix(a.Resource, "role/") {
		args.DeployerRoleARN = deployer
	}
	pol, err := policies.DeployerPolicy(args)
	if err != nil {
		return nil, "the deployer policy could not be built for this stack: " + awsclient.OneLine(err.Error())
	}
	return pol, ""
}
