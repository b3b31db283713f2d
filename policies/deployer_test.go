package policies_test

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/policies"
)

var update = flag.Bool("update", false, "rewrite docs/deployer-policy.json from DeployerPolicy")

// deployerDocPath is the committed policy for the example class account.
var deployerDocPath = filepath.Join("..", "docs", "deployer-policy.json")

// exampleClassArgs are the committed document's inputs: AWS's documentation
// account, the project's default names, any Region, and the role name
// docs/classes.md tells instructors to create.
func exampleClassArgs() policies.DeployerPolicyArgs {
	return policies.DeployerPolicyArgs{
		Partition:        "aws",
		AccountID:        "111122223333",
		Regions:          []string{policies.AnyRegion},
		KeyAlias:         "myFirstKey",
		TrailName:        "myTrail",
		BucketNamePrefix: "mycloudtrailbucket",
		LooksUpDeployer:  true,
		DeployerRoleARN:  "arn:aws:iam::111122223333:role/kms-lab-deployer",
	}
}

// stackArgs is a single-Region class stack with an exact bucket name.
func stackArgs() policies.DeployerPolicyArgs {
	return policies.DeployerPolicyArgs{
		Partition:  "aws",
		AccountID:  "111122223333",
		Regions:    []string{"us-east-1"},
		KeyAlias:   "myFirstKey",
		TrailName:  "myTrail",
		BucketName: "kms101-acct01-logs",
	}
}

type stmt struct {
	Sid       string
	Effect    string
	Action    []string
	Resource  []string
	Condition map[string]map[string]any
}

// render renders args and decodes the statements, with Action and Resource
// always as lists.
func render(t *testing.T, args policies.DeployerPolicyArgs) (string, map[string]stmt) {
	t.Helper()
	p, err := policies.DeployerPolicy(args)
	require.NoError(t, err)
	text, err := policies.Render(p)
	require.NoError(t, err)
	var doc struct {
		Version   string
		Statement []map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(text), &doc))
	require.Equal(t, "2012-10-17", doc.Version)
	out := map[string]stmt{}
	for _, raw := range doc.Statement {
		s := stmt{Sid: raw["Sid"].(string), Effect: raw["Effect"].(string),
			Action: list(raw["Action"]), Resource: list(raw["Resource"])}
		if c, ok := raw["Condition"].(map[string]any); ok {
			s.Condition = map[string]map[string]any{}
			for op, keys := range c {
				s.Condition[op] = keys.(map[string]any)
			}
		}
		require.NotContains(t, out, s.Sid, "Sids must be unique")
		out[s.Sid] = s
	}
	return text, out
}

func list(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, e.(string))
		}
		return out
	}
	return nil
}

// TestDeployerPolicyDocumentIsCommitted keeps docs/deployer-policy.json equal
// to what the code renders, so the document instructors attach is the one
// the tests check.
func TestDeployerPolicyDocumentIsCommitted(t *testing.T) {
	text, _ := render(t, exampleClassArgs())
	if *update {
		require.NoError(t, os.WriteFile(deployerDocPath, []byte(text+"\n"), 0o644))
	}
	committed, err := os.ReadFile(deployerDocPath)
	require.NoError(t, err, "regenerate with: go test ./policies -run DeployerPolicyDocument -update")
	assert.Equal(t, text+"\n", string(committed),
		"docs/deployer-policy.json is stale; regenerate with: go test ./policies -run DeployerPolicyDocument -update, and review the diff")
}

// unscopable are the actions IAM only grants on "*", each with the reason
// from AWS's documentation. Every other action must name resources.
var unscopable = map[string]string{
	// Service Authorization Reference, AWS KMS: CreateKey and ListAliases
	// have no resource type.
	"kms:CreateKey":   "no resource type",
	"kms:ListAliases": "no resource type",
	// AWS KMS Developer Guide, "Controlling access to tags": tagging a key
	// while creating it needs kms:TagResource "in an IAM policy that isn't
	// restricted to particular KMS keys".
	"kms:TagResource": "tags on CreateKey",
	// Service Authorization Reference, AWS CloudTrail: DescribeTrails is a
	// List action with no resource type.
	"cloudtrail:DescribeTrails": "no resource type",
}

func TestDeployerPolicyScopesEveryActionIAMCanScope(t *testing.T) {
	for name, args := range map[string]policies.DeployerPolicyArgs{
		"example class account":    exampleClassArgs(),
		"one Region, exact bucket": stackArgs(),
	} {
		t.Run(name, func(t *testing.T) {
			_, statements := render(t, args)
			for _, s := range statements {
				assert.Equal(t, "Allow", s.Effect, s.Sid)
				if !slices.Contains(s.Resource, "*") {
					continue
				}
				assert.Equal(t, []string{"*"}, s.Resource, "%s mixes * with ARNs", s.Sid)
				for _, a := range s.Action {
					assert.Contains(t, unscopable, a, "%s grants %s on *, but IAM can scope it", s.Sid, a)
				}
			}
		})
	}
}

func TestDeployerPolicyResources(t *testing.T) {
	// ARN formats: Service Authorization Reference, resource types of AWS
	// KMS (key, alias), Amazon S3 (bucket, object), AWS CloudTrail (trail)
	// and IAM (role).
	cases := []struct {
		name string
		args policies.DeployerPolicyArgs
		want map[string][]string // Sid -> Resource
	}{
		{"one Region, exact bucket", stackArgs(), map[string][]string{
			"KmsManageKeys":            {"arn:aws:kms:us-east-1:111122223333:key/*"},
			"KmsManageLabAlias":        {"arn:aws:kms:us-east-1:111122223333:alias/myFirstKey", "arn:aws:kms:us-east-1:111122223333:key/*"},
			"KmsEncryptLabImageViaS3":  {"arn:aws:kms:us-east-1:111122223333:key/*"},
			"S3ManageLabBucket":        {"arn:aws:s3:::kms101-acct01-logs"},
			"S3ManageLabBucketObjects": {"arn:aws:s3:::kms101-acct01-logs/*"},
			"CloudTrailManageLabTrail": {"arn:aws:cloudtrail:us-east-1:111122223333:trail/myTrail"},
		}},
		{"any Region, bucket prefix, deployer role", exampleClassArgs(), map[string][]string{
			"KmsManageKeys":            {"arn:aws:kms:*:111122223333:key/*"},
			"KmsManageLabAlias":        {"arn:aws:kms:*:111122223333:alias/myFirstKey", "arn:aws:kms:*:111122223333:key/*"},
			"S3ManageLabBucket":        {"arn:aws:s3:::mycloudtrailbucket*"},
			"S3ManageLabBucketObjects": {"arn:aws:s3:::mycloudtrailbucket*/*"},
			"CloudTrailManageLabTrail": {"arn:aws:cloudtrail:*:111122223333:trail/myTrail"},
			"IamReadDeployerRole":      {"arn:aws:iam::111122223333:role/kms-lab-deployer"},
		}},
		{"two Regions, GovCloud", func() policies.DeployerPolicyArgs {
			a := stackArgs()
			a.Partition, a.Regions = "aws-us-gov", []string{"us-gov-west-1", "us-gov-east-1"}
			a.LooksUpDeployer = true // no role ARN: any role of the account
			return a
		}(), map[string][]string{
			"KmsManageKeys":            {"arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/*", "arn:aws-us-gov:kms:us-gov-east-1:111122223333:key/*"},
			"CloudTrailManageLabTrail": {"arn:aws-us-gov:cloudtrail:us-gov-west-1:111122223333:trail/myTrail", "arn:aws-us-gov:cloudtrail:us-gov-east-1:111122223333:trail/myTrail"},
			"S3ManageLabBucket":        {"arn:aws-us-gov:s3:::kms101-acct01-logs"},
			"IamReadDeployerRole":      {"arn:aws-us-gov:iam::111122223333:role/*"},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, statements := render(t, c.args)
			for sid, want := range c.want {
				require.Contains(t, statements, sid)
				assert.Equal(t, want, statements[sid].Resource, sid)
			}
		})
	}
}

func TestDeployerPolicyConditions(t *testing.T) {
	cn := stackArgs()
	cn.Partition, cn.Regions = "aws-cn", []string{"cn-north-1"}
	cases := []struct {
		name     string
		args     policies.DeployerPolicyArgs
		operator string
		service  any
	}{
		// kms:ViaService values are service endpoint names (AWS KMS
		// Developer Guide, "kms:ViaService"); China Regions end in .com.cn.
		{"one Region", stackArgs(), "StringEquals", "s3.us-east-1.amazonaws.com"},
		{"China", cn, "StringEquals", "s3.cn-north-1.amazonaws.com.cn"},
		{"any Region", exampleClassArgs(), "StringLike", "s3.*.amazonaws.com"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, statements := render(t, c.args)
			via := statements["KmsEncryptLabImageViaS3"]
			assert.Equal(t, []string{"kms:Decrypt", "kms:GenerateDataKey"}, via.Action)
			assert.Equal(t, map[string]map[string]any{c.operator: {"kms:ViaService": c.service}}, via.Condition)

			create := statements["KmsCreateSymmetricKey"]
			assert.Equal(t, []string{"kms:CreateKey"}, create.Action)
			// The lab key (lab guide, task 1): symmetric, encrypt and
			// decrypt, KMS key material, one Region.
			assert.Equal(t, map[string]map[string]any{
				"StringEquals": {"kms:KeySpec": "SYMMETRIC_DEFAULT", "kms:KeyUsage": "ENCRYPT_DECRYPT", "kms:KeyOrigin": "AWS_KMS"},
				"Bool":         {"kms:MultiRegion": false},
			}, create.Condition)
		})
	}
}

func TestDeployerPolicyRoleLookupOnlyWhenNeeded(t *testing.T) {
	explicit := stackArgs()
	explicit.DeployerRoleARN = "arn:aws:iam::111122223333:role/kms-lab-deployer" // ignored: nothing looks it up
	_, statements := render(t, explicit)
	for _, s := range statements {
		assert.NotContains(t, s.Action, "iam:GetRole",
			"a stack that names its key principals must not need iam:GetRole (issue: deployer lookup only when needed)")
	}
}

// IAM quotas: a managed policy holds at most 6,144 characters, whitespace
// not counted (IAM User Guide, "IAM and AWS STS quotas").
func TestDeployerPolicyFitsAManagedPolicy(t *testing.T) {
	text, _ := render(t, exampleClassArgs())
	n := 0
	for _, r := range text {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	assert.LessOrEqual(t, n, 6144)
}

func TestDeployerPolicyArgumentErrors(t *testing.T) {
	cases := []struct {
		name string
		edit func(*policies.DeployerPolicyArgs)
		want []string // each an error line fragment: field, value and rule
	}{
		{"unknown partition", func(a *policies.DeployerPolicyArgs) { a.Partition = "aws-iso" },
			[]string{`Partition "aws-iso" must be aws, aws-cn or aws-us-gov`}},
		{"short account", func(a *policies.DeployerPolicyArgs) { a.AccountID = "12345" },
			[]string{`AccountID "12345" must be exactly 12 digits`}},
		{"no Region", func(a *policies.DeployerPolicyArgs) { a.Regions = nil },
			[]string{`Regions "" must name at least one Region`}},
		{"wildcard with a Region", func(a *policies.DeployerPolicyArgs) { a.Regions = []string{"*", "us-east-1"} },
			[]string{`Regions "*,us-east-1" must be ["*"] alone`}},
		{"bad and repeated Region", func(a *policies.DeployerPolicyArgs) { a.Regions = []string{"us-east-1", "US East", "us-east-1"} },
			[]string{`Regions[1] "US East" must be a Region name`, `Regions[2] "us-east-1" is listed twice`}},
		{"alias with prefix", func(a *policies.DeployerPolicyArgs) { a.KeyAlias = "alias/myFirstKey" },
			[]string{`KeyAlias "alias/myFirstKey" must be the alias name without the "alias/" prefix`}},
		{"reserved alias", func(a *policies.DeployerPolicyArgs) { a.KeyAlias = "aws/s3" },
			[]string{`KeyAlias "aws/s3" must not start with aws/`}},
		{"bad trail name", func(a *policies.DeployerPolicyArgs) { a.TrailName = "my trail" },
			[]string{`TrailName "my trail" must be 3-128 of`}},
		{"both bucket settings", func(a *policies.DeployerPolicyArgs) { a.BucketNamePrefix = "mycloudtrailbucket" },
			[]string{`BucketName "kms101-acct01-logs" and BucketNamePrefix "mycloudtrailbucket": exactly one must be set`}},
		{"wildcard in prefix", func(a *policies.DeployerPolicyArgs) { a.BucketName, a.BucketNamePrefix = "", "lab*" },
			[]string{`BucketNamePrefix "lab*" must be 1-37 lowercase`}},
		{"role of another account", func(a *policies.DeployerPolicyArgs) {
			a.LooksUpDeployer, a.DeployerRoleARN = true, "arn:aws:iam::444455556666:role/kms-lab-deployer"
		}, []string{`DeployerRoleARN "arn:aws:iam::444455556666:role/kms-lab-deployer" must be a role of account 111122223333 in partition aws`}},
		{"session instead of role", func(a *policies.DeployerPolicyArgs) {
			a.LooksUpDeployer, a.DeployerRoleARN = true, "arn:aws:sts::111122223333:assumed-role/kms-lab-deployer/s"
		}, []string{`DeployerRoleARN "arn:aws:sts::111122223333:assumed-role/kms-lab-deployer/s" must be an IAM role ARN`}},
		{"several at once", func(a *policies.DeployerPolicyArgs) { a.AccountID, a.TrailName = "x", "" },
			[]string{`AccountID "x"`, `TrailName ""`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := stackArgs()
			c.edit(&args)
			_, err := policies.DeployerPolicy(args)
			require.Error(t, err)
			assert.True(t, errors.Is(err, policies.ErrInvalidArgument))
			assert.True(t, strings.HasPrefix(err.Error(), "policies: deployer policy: "), err.Error())
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Len(t, strings.Split(err.Error(), "\n"), len(c.want), "one line per problem: %s", err)
		})
	}
}
