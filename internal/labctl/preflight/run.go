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
// for it and runs the account checks. The report lists every check, in
// the same order each time (checkNames), as `check` does: a check that
// could not be read is unknown with why and when to retry, and one that
// was not run because of another's verdict says which. The error is a
// stack config mistake only (CheckStack's), found before any check.
func Run(ctx context.Context, sc *stackconfig.Config, clients *awsclient.Clients, id awsclient.Identity) (*Report, error) {
	allowed, err := allowedAccounts(sc)
	if err != nil {
		return nil, err
	}
	checks := []Check{AccountCheck(sc.Stack, allowed, id.Account, id.ARN)}
	if checks[0].Status == report.Fail {
		// Every other finding would be about the wrong account.
		for _, name := range checkNames[1:] {
			checks = append(checks, notRun(name, "the credentials are for account "+id.Account+", not the stack's", "account"))
		}
		return &Report{Checks: checks}, nil
	}
	partition := "aws"
	if a, err := arn.Parse(id.ARN); err == nil {
		partition = a.Partition
	}
	target := awsclient.Target{Region: clients.Region, Account: id.Account, Caller: id.ARN, Endpoint: clients.Endpoint}
	deployer := ResolveDeployer(ctx, clients.IAM, id.ARN, target)
	uses := config.UsesDeployer(lookup(sc))
	cfg, cfgErr := config.Load(lookup(sc), sc.ProjectDir, config.Target{Partition: partition, Deployer: deployer.ARN})
	checks = append(checks, DeployerCheck(deployer, id.ARN, uses, cfgErr))
	skip := map[string]Check{}
	if cfgErr != nil {
		// The key policy cannot be built for this deployer, so neither its
		// principals nor the deployer's permissions can be checked. The
		// other checks read names and settings the deployer does not
		// change: they run with the account root standing in for it.
		const why = "the key policy cannot be built for this deployer"
		skip["key-principals"] = notRun("key-principals", why, "deployer")
		skip["deployer-permissions"] = notRun("deployer-permissions", why, "deployer")
		if cfg, err = config.Load(lookup(sc), sc.ProjectDir, config.Target{Partition: partition, Deployer: "arn:" + partition + ":iam::" + id.Account + ":root"}); err != nil {
			for _, name := range checkNames[2:] {
				checks = append(checks, notRun(name, why, "deployer"))
			}
			return &Report{Checks: checks}, nil
		}
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
	return &Report{Checks: append(checks, p.Run(ctx, skip)...)}, nil
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
