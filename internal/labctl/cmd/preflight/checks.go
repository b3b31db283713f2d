package preflight

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/micahhausler/aws-iam-policy/policy"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/preflight"
	"github.com/kms-lab/kms-lab/internal/labnames"
	verdict "github.com/kms-lab/kms-lab/internal/report"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
	"github.com/kms-lab/kms-lab/policies"
)

// runPreflight resolves the deployer, validates the config for it and runs
// the account checks. A wrong account stops after the account check: every
// other finding would be about the wrong account.
func runPreflight(ctx context.Context, sc *stackconfig.Config, lookup config.Lookup, clients *awsclient.Clients, id awsclient.Identity) (*preflight.Report, error) {
	report := &preflight.Report{}
	var allowed []string
	if raw, ok := sc.Values["aws:allowedAccountIds"]; ok {
		if err := json.Unmarshal([]byte(raw), &allowed); err != nil {
			return report, fmt.Errorf("aws:allowedAccountIds = %s: must be a list of account IDs", raw)
		}
	}
	account := preflight.AccountCheck(sc.Stack, allowed, id.Account, id.ARN)
	report.Checks = append(report.Checks, account)
	if account.Status == verdict.Fail {
		return report, nil
	}
	partition := "aws"
	if a, err := arn.Parse(id.ARN); err == nil {
		partition = a.Partition
	}
	target := awsclient.Target{Region: clients.Region, Account: id.Account, Caller: id.ARN, Endpoint: clients.Endpoint}
	deployer := preflight.ResolveDeployer(ctx, clients.IAM, id.ARN, target)
	uses := config.UsesDeployer(lookup)
	cfg, cfgErr := config.Load(lookup, sc.ProjectDir, config.Target{Partition: partition, Deployer: deployer.ARN})
	check := preflight.DeployerCheck(deployer, id.ARN, uses, cfgErr)
	report.Checks = append(report.Checks, check)
	if cfgErr != nil {
		return report, nil // the key policy cannot be built: nothing more to check against it
	}
	resources := programResources(sc)
	pol, note := deployerPolicy(cfg, partition, id.Account, clients.Region, deployer.ARN, uses)
	p := &preflight.Preflight{
		Stack: sc.Stack, Config: cfg, Account: id.Account, Partition: partition, Region: clients.Region,
		Caller: id.ARN, Deployer: deployer.ARN, Resources: resources,
		DeployerPolicy: pol, DeployerPolicyNote: note,
		IAM: clients.IAM, S3: clients.S3, S3Control: clients.S3Control, KMS: clients.KMS, CloudTrail: clients.CloudTrail,
		CloudTrailIn: func(region string) preflight.CloudTrailAPI {
			return cloudtrail.New(clients.CloudTrail.Options(), func(o *cloudtrail.Options) { o.Region = region })
		},
		Endpoint: clients.Endpoint,
	}
	more, err := p.Run(ctx)
	report.Checks = append(report.Checks, more.Checks...)
	return report, err
}

// programResources are the program's AWS resources with their names and
// parents, for `pulumi import` commands. The program registers its
// resources under the same names (internal/labnames), and a test holds the
// list to the program's plan.
func programResources(sc *stackconfig.Config) []preflight.Resource {
	var out []preflight.Resource
	for _, r := range labnames.Resources() {
		out = append(out, preflight.Resource{Type: r.Type, Name: r.Name, Parent: r.ParentURN(sc.Project, sc.Stack)})
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

// stackAWSOptions adds what the stack's provider config says about access,
// as `pulumi up` would use it: aws:profile when --profile is not given, and
// aws:assumeRole, assumed with those credentials.
func stackAWSOptions(opts awsclient.Options, sc *stackconfig.Config) (awsclient.Options, error) {
	if opts.Profile == "" {
		opts.Profile = sc.Values["aws:profile"]
	}
	raw, ok := sc.Values["aws:assumeRole"]
	if !ok {
		return opts, nil
	}
	var role struct {
		RoleARN     string `json:"roleArn"`
		SessionName string `json:"sessionName"`
		ExternalID  string `json:"externalId"`
	}
	if err := json.Unmarshal([]byte(raw), &role); err != nil || role.RoleARN == "" {
		return opts, errors.New("aws:assumeRole = " + raw + ": must be a map with roleArn (and optionally sessionName, externalId)")
	}
	opts.AssumeRole = &awsclient.AssumeRole{RoleARN: role.RoleARN, SessionName: role.SessionName, ExternalID: role.ExternalID}
	return opts, nil
}
