// Package preflight is `labctl preflight`: a lab account checked before
// the first deploy, with the deployer's credentials.
package preflight

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/micahhausler/aws-iam-policy/policy"
	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/labctl/preflight"
	"github.com/kms-lab/kms-lab/internal/labnames"
	verdict "github.com/kms-lab/kms-lab/internal/report"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
	"github.com/kms-lab/kms-lab/policies"
)

// PreflightOptions are preflight's flags and what it takes from the
// Factory.
type PreflightOptions struct {
	IO  *cmdutil.IOStreams
	AWS cmdutil.AWSConnector
	Now func() time.Time

	Config     string
	ProjectDir string
	Conn       awsclient.Options
	JSON       bool
}

// NewCmdPreflight builds `labctl preflight`; runF, when set, runs instead
// of preflightRun.
func NewCmdPreflight(f *cmdutil.Factory, runF func(*PreflightOptions) error) *cobra.Command {
	opts := &PreflightOptions{IO: f.IOStreams, AWS: f.AWS, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "preflight --config Pulumi.<stack>.yaml [flags]",
		Short: "Check a lab account before the first deploy, with the deployer's credentials",
		Long: `Run with the deployer's credentials before the first pulumi up. Reads the
stack's config as labplan does (the project's Pulumi.yaml from --project-dir,
the stack file's directory, or the current directory and its parents), uses
the stack's aws:profile and aws:assumeRole unless --profile is given, and
checks the account, one line per check (ok, FAIL or warn, what was seen, and
the fix): the account is the stack's aws:allowedAccountIds account and who
the deployer is; every key-policy principal exists; account-level S3 Block
Public Access lets the image's public-read ACL work; no alias, trail or
exact bucket name made by hand is in the way (with the pulumi import command
that adopts it, or the setting to change); the region has room for the trail
and whether another trail already logs management events (a billed second
copy); and, through iam:SimulatePrincipalPolicy, that the deployer may do
what the deployer policy lists.
--json prints {"checks": [{"name", "status", "detail"}]}. Exit code 0 when
nothing failed, 1 when a check failed, 2 on usage, config or AWS access
errors (the checks that ran are still printed).`,
		Example:           `  labctl preflight --config Pulumi.kms101-acct01.yaml --json`,
		Args:              cmdutil.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Config == "" {
				return cmdutil.FlagErrorf("preflight: --config Pulumi.<stack>.yaml is required (see `labctl help preflight`)")
			}
			if runF != nil {
				return runF(opts)
			}
			return preflightRun(cmd.Context(), opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.Config, "config", "", "the stack's config `file`, Pulumi.<stack>.yaml")
	fs.StringVar(&opts.ProjectDir, "project-dir", "", "`directory` of the project's Pulumi.yaml (default: the stack file's directory if it has one, else the current directory or its nearest parent with one)")
	cmdutil.AddAWSFlags(cmd, &opts.Conn, "the stack's aws:region")
	fs.BoolVar(&opts.JSON, "json", false, `print {"checks": [{"name", "status", "detail"}]} instead of the checklist`)
	_ = cmd.MarkFlagFilename("config", "yaml", "yml")
	_ = cmd.MarkFlagDirname("project-dir")
	return cmd
}

// preflightRun checks the account a stack is about to be deployed to:
// ErrFailed when a check fails; usage, config and AWS access errors end it
// with exit code 2, after printing the checks that did run.
func preflightRun(ctx context.Context, opts *PreflightOptions) error {
	sc, err := stackconfig.Load(opts.ProjectDir, opts.Config)
	if err != nil {
		return err
	}
	lookup := func(key string) (string, bool) { v, ok := sc.Values[key]; return v, ok }
	// Config mistakes first, with a stand-in deployer, so that they are not
	// blamed on the account and need no credentials.
	guess := policies.PartitionOfRegion(sc.Region())
	if _, err := config.Load(lookup, sc.ProjectDir, config.Target{Partition: guess, Deployer: "arn:" + guess + ":iam::111122223333:root"}); err != nil {
		return fmt.Errorf("%s: %w", opts.Config, err)
	}
	conn, err := stackAWSOptions(opts.Conn, sc)
	if err != nil {
		return err
	}
	clients, err := opts.AWS(ctx, conn, sc.Region())
	if err != nil {
		return err
	}
	id, err := clients.WhoAmI(ctx)
	if err != nil {
		return err
	}
	report, runErr := runPreflight(ctx, sc, lookup, clients, id)
	if opts.JSON {
		err = preflight.WriteJSON(opts.IO.Out, report)
	} else {
		fmt.Fprintf(opts.IO.Out, "preflight for stack %s in account %s, %s (as %s)\n", sc.Stack, id.Account, clients.Region, id.ARN)
		err = preflight.WriteText(opts.IO.Out, report)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	if runErr != nil {
		// One line per check that could not run; the last is the error.
		errs := []error{runErr}
		if j, ok := runErr.(interface{ Unwrap() []error }); ok {
			errs = j.Unwrap()
		}
		for _, e := range errs[:len(errs)-1] {
			fmt.Fprintln(opts.IO.ErrOut, "labctl: "+awsclient.OneLine(e.Error()))
		}
		return errs[len(errs)-1]
	}
	if report.Failed() {
		return cmdutil.ErrFailed
	}
	return nil
}

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
