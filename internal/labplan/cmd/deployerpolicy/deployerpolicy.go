// Package deployerpolicy is `labplan deployer-policy`: the IAM policy the
// stack's deployer role needs for pulumi up, preview --refresh and destroy.
package deployerpolicy

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/labplan/cmdutil"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
	"github.com/kms-lab/kms-lab/internal/valuetext"
	"github.com/kms-lab/kms-lab/policies"
)

// DeployerPolicyOptions are the command's flags.
type DeployerPolicyOptions struct {
	IO         *cmdutil.IOStreams
	ConfigPath string
	Account    string
	Region     string
	Partition  string
}

// NewCmdDeployerPolicy builds the deployer-policy command; runF, when not
// nil, runs instead of deployerPolicyRun.
func NewCmdDeployerPolicy(f *cmdutil.Factory, runF func(*DeployerPolicyOptions) error) *cobra.Command {
	opts := &DeployerPolicyOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "deployer-policy --config Pulumi.<stack>.yaml",
		Short: "Print the IAM policy the stack's deployer role needs",
		Long: `Print, as canonical JSON, the IAM policy the stack's deployer role needs
for pulumi up, preview --refresh and destroy: scoped to the stack's account,
Region and resource names (its key alias, trail and bucket).`,
		Example: `  labplan deployer-policy --config Pulumi.kms101-acct01.yaml
  labplan deployer-policy --config Pulumi.dev.yaml --account 111122223333 --region '*'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := cmdutil.Problems(opts.problems(cmd.Flags().Changed)); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return deployerPolicyRun(opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.ConfigPath, "config", "", "stack config `file` Pulumi.<stack>.yaml (its Pulumi.yaml is read from the same directory)")
	fs.StringVar(&opts.Account, "account", "", "lab `account` ID (default: the stack's single aws:allowedAccountIds entry)")
	fs.StringVar(&opts.Region, "region", "", "`Region` the stack deploys to, or * for any Region (default: the stack's aws:region)")
	fs.StringVar(&opts.Partition, "partition", "aws", "`partition`: aws, aws-cn or aws-us-gov")
	return cmd
}

// problems are every bad flag, found before the stack file is read: a
// --region is "*" alone or Regions of --partition, comma-separated (the
// policy's Regions), an --account 12 digits.
func (o *DeployerPolicyOptions) problems(given func(string) bool) []string {
	var problems []string
	if o.ConfigPath == "" {
		problems = append(problems, "--config is required: the stack file Pulumi.<stack>.yaml whose deployer policy to print")
	}
	partitionProblem := cmdutil.PartitionProblem(o.Partition)
	partitionOK := partitionProblem == ""
	if !partitionOK {
		problems = append(problems, partitionProblem)
	}
	if p := cmdutil.AccountProblem(o.Account); given("account") && p != "" {
		problems = append(problems, p)
	}
	if !given("region") {
		return problems
	}
	regions := strings.Split(o.Region, ",")
	if slices.Contains(regions, policies.AnyRegion) && len(regions) > 1 {
		return append(problems, fmt.Sprintf("--region %s: give * alone (any Region) or a comma-separated list of Regions, not both", valuetext.Quote(o.Region)))
	}
	seen := map[string]bool{}
	for _, r := range regions {
		p, known := config.RegionPartition(r)
		switch {
		case r == policies.AnyRegion:
		case !known:
			problems = append(problems, fmt.Sprintf("--region %s: %s, or * for any Region", valuetext.Quote(r), config.RegionRule))
		case partitionOK && p != o.Partition:
			problems = append(problems, fmt.Sprintf("--region %s is in partition %s, not --partition %s: give that partition, or a Region of %s", r, p, o.Partition, o.Partition))
		case seen[r]:
			problems = append(problems, fmt.Sprintf("--region %s: %s is listed twice", valuetext.Quote(o.Region), r))
		}
		seen[r] = true
	}
	return problems
}

func deployerPolicyRun(opts *DeployerPolicyOptions) error {
	sc, err := stackconfig.Load("", opts.ConfigPath)
	if err != nil {
		return err
	}
	pargs, err := deployerPolicyArgs(sc, opts.Account, opts.Region, opts.Partition)
	if err != nil {
		return err
	}
	doc, err := policies.DeployerPolicy(pargs)
	if err != nil {
		return err
	}
	text, err := policies.Render(doc)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(opts.IO.Out, text)
	return err
}

// deployerPolicyArgs takes the target from the flags or the stack's provider
// config and the resource names from the validated kms-lab settings.
func deployerPolicyArgs(sc *stackconfig.Config, account, region, partition string) (policies.DeployerPolicyArgs, error) {
	var ids []string
	if account == "" {
		if json.Unmarshal([]byte(sc.Values["aws:allowedAccountIds"]), &ids) == nil && len(ids) == 1 {
			account = ids[0]
		} else {
			// A policy for a made-up account is worse than none: refuse.
			return policies.DeployerPolicyArgs{}, fmt.Errorf("--account is required: stack %s has no single aws:allowedAccountIds entry to take the lab account from", sc.Stack)
		}
	}
	if region == "" {
		region = sc.Region()
	}
	if region == "" {
		return policies.DeployerPolicyArgs{}, fmt.Errorf("--region is required: stack %s sets no aws:region", sc.Stack)
	}
	var role struct {
		RoleARN string `json:"roleArn"`
	}
	_ = json.Unmarshal([]byte(sc.Values["aws:assumeRole"]), &role) // absent or not an object: no role known
	lookup := func(key string) (string, bool) {
		v, ok := sc.Values[key]
		return v, ok
	}
	// The deployer only stands in for a principal while the settings are
	// validated here; the names the policy needs do not depend on it.
	deployer := role.RoleARN
	if deployer == "" {
		deployer = policies.AccountRootARN(partition, account)
	}
	c, err := config.Load(lookup, sc.ProjectDir, config.Target{Partition: partition, Deployer: deployer})
	if err != nil {
		return policies.DeployerPolicyArgs{}, fmt.Errorf("stack %s: %w", sc.Stack, err)
	}
	return policies.DeployerPolicyArgs{
		Partition:        partition,
		AccountID:        account,
		Regions:          strings.Split(region, ","),
		KeyAlias:         c.KeyAlias,
		TrailName:        c.TrailName,
		BucketName:       c.BucketName,
		BucketNamePrefix: c.BucketNamePrefix,
		LooksUpDeployer:  namesDeployer(sc),
		DeployerRoleARN:  role.RoleARN,
	}, nil
}

// namesDeployer reports whether keyAdministrators or keyUsers (defaults
// applied) name the deployer, the only case in which the program looks up
// the deploying session.
func namesDeployer(sc *stackconfig.Config) bool {
	for _, key := range []string{config.KeyAdministrators, config.KeyUsers} {
		var list []string
		if json.Unmarshal([]byte(sc.Values[config.Namespace+":"+key]), &list) == nil && slices.Contains(list, config.Deployer) {
			return true
		}
	}
	return false
}
