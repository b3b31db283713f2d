package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
	"github.com/kms-lab/kms-lab/policies"
)

const deployerPolicyUsage = `usage:
  labplan deployer-policy --config Pulumi.<stack>.yaml [--account ID] [--region R|*] [--partition aws|aws-cn|aws-us-gov]
`

// runDeployerPolicy prints the IAM policy the stack's deployer role needs
// for pulumi up, preview --refresh and destroy, as canonical JSON.
func runDeployerPolicy(args []string, out io.Writer, stderr io.Writer) error {
	fs := newFlagSet("labplan deployer-policy", stderr)
	fs.Usage = func() { fmt.Fprint(stderr, deployerPolicyUsage) }
	configPath := fs.String("config", "", "stack config file Pulumi.<stack>.yaml (its Pulumi.yaml is read from the same directory)")
	account := fs.String("account", "", "lab account ID (default: the stack's single aws:allowedAccountIds entry)")
	region := fs.String("region", "", "Region the stack deploys to, or * for any Region (default: the stack's aws:region)")
	partition := fs.String("partition", "aws", "partition: aws, aws-cn or aws-us-gov")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q\n%s", fs.Arg(0), deployerPolicyUsage)
	}
	if *configPath == "" {
		return fmt.Errorf("--config is required\n%s", deployerPolicyUsage)
	}
	sc, err := stackconfig.Load("", *configPath)
	if err != nil {
		return err
	}
	pargs, err := deployerPolicyArgs(sc, *account, *region, *partition)
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
	_, err = fmt.Fprintln(out, text)
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
