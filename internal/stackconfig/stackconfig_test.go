package stackconfig_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/stackconfig"
)

// repoRoot holds the project's Pulumi.yaml and the lab image.
const repoRoot = "../.."

// project copies Pulumi.yaml and the lab image to a fresh directory and
// writes the stack file Pulumi.<stack>.yaml there, returning its path.
func project(t *testing.T, stack, stackYAML string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "assets/lab-image.png"} {
		b, err := os.ReadFile(filepath.Join(repoRoot, f))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	path := filepath.Join(dir, "Pulumi."+stack+".yaml")
	require.NoError(t, os.WriteFile(path, []byte(stackYAML), 0o644))
	return path
}

// declared is the message's list of the project's settings, as Pulumi.yaml
// declares them, sorted.
const declared = "bucketName, bucketNamePrefix, dataEvents, dataEventsScope, forceDestroy, imagePath, insights, keyAdministrators, keyAlias, keyDeletionWindowDays, keyDescription, keyRotation, keyUsers, objectKey, publicAccess, publicObjectAcl, tags, trailName"

// TestLoadReportsEveryProblemInOneRun holds the messages a user sees for a
// stack file with mistakes (issue 14, item 5). The principal rules come
// from the AWS KMS Developer Guide ("Key policies in AWS KMS", "Specifying
// principals": users, roles and accounts, not sessions); the AWS keys from
// the pulumi-aws v6 provider's configuration reference.
func TestLoadReportsEveryProblemInOneRun(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"a misspelt setting and a session ARN, together", `config:
  aws:region: us-west-2
  kms-lab:keyAlais: x
  kms-lab:keyUsers:
    - arn:aws:sts::111122223333:assumed-role/Admin/alice
`, `stack lab: invalid configuration in Pulumi.lab.yaml (2 problems):
  - kms-lab:keyAlais: not a setting of this project; did you mean kms-lab:keyAlias?
  - kms-lab:keyUsers = "arn:aws:sts::111122223333:assumed-role/Admin/alice": is an assumed-role session ARN, which is not a valid key-policy principal; use the role ARN arn:aws:iam::111122223333:role/Admin`},
		{"a misspelt aws:region is named", `config:
  aws:regoin: us-west-2
`, `stack lab: invalid configuration in Pulumi.lab.yaml (1 problem):
  - aws:regoin: not a setting of the AWS provider, which refuses it at pulumi up; did you mean aws:region?`},
		{"well-known provider keys, misspelt", `config:
  aws:region: us-east-1
  aws:Profile: lab
  aws:assumeRoel:
    roleArn: arn:aws:iam::111122223333:role/kms-lab-deployer
  aws:allowedAccountId: ["111122223333"]
`, `stack lab: invalid configuration in Pulumi.lab.yaml (3 problems):
  - aws:Profile: not a setting of the AWS provider, which refuses it at pulumi up; did you mean aws:profile?
  - aws:allowedAccountId: not a setting of the AWS provider, which refuses it at pulumi up; did you mean aws:allowedAccountIds?
  - aws:assumeRoel: not a setting of the AWS provider, which refuses it at pulumi up; did you mean aws:assumeRole?`},
		{"an unknown provider key with no near name", `config:
  aws:region: us-east-1
  aws:account_id: "111122223333"
`, `stack lab: invalid configuration in Pulumi.lab.yaml (1 problem):
  - aws:account_id: not a setting of the AWS provider, which refuses it at pulumi up (see the provider's configuration reference)`},
		{"an unknown setting with no near name lists the settings", `config:
  aws:region: us-east-1
  kms-lab:classCode: kms101
`, `stack lab: invalid configuration in Pulumi.lab.yaml (1 problem):
  - kms-lab:classCode: not a setting of this project (Pulumi.yaml declares ` + declared + `)`},
		{"a misspelt namespace", `config:
  aws:region: us-east-1
  kms-labs:keyAlias: lab
  aws-:region: us-east-1
`, `stack lab: invalid configuration in Pulumi.lab.yaml (2 problems):
  - aws-:region: namespace aws- is read by nothing here; did you mean aws:region?
  - kms-labs:keyAlias: namespace kms-labs is read by nothing here; did you mean kms-lab:keyAlias?`},
		{"types and value rules together, each key once", `config:
  aws:region: us-west-2
  kms-lab:keyDeletionWindowDays: soon
  kms-lab:keyAlias: aws/mine
  kms-lab:trailName: -bad
  kms-lab:keyRotaton: true
`, `stack lab: invalid configuration in Pulumi.lab.yaml (4 problems):
  - kms-lab:keyAlias = "aws/mine": must not start with aws/: that prefix is reserved for AWS managed keys
  - kms-lab:keyDeletionWindowDays = soon: must be an integer (Pulumi.yaml declares type integer)
  - kms-lab:keyRotaton: not a setting of this project; did you mean kms-lab:keyRotation?
  - kms-lab:trailName = "-bad": must start and end with a letter or digit`},
		{"a principal of another partition than the stack's Region", `config:
  aws:region: cn-north-1
  kms-lab:keyUsers: ["arn:aws:iam::111122223333:user/a"]
`, `stack lab: invalid configuration in Pulumi.lab.yaml (1 problem):
  - kms-lab:keyUsers = "arn:aws:iam::111122223333:user/a": is not in partition aws-cn, the partition this stack deploys to; write arn:aws-cn:...`},
		// Issue 24: the stack file's shape, in the file's words, not Go's.
		{"a file that is a list", "- aws:region: us-west-2\n", `stack lab: invalid configuration in Pulumi.lab.yaml (1 problem):
  - the file: must be a map with the stack's settings under config:, was a list`},
		{"config as a list", "config: [a]\n", `stack lab: invalid configuration in Pulumi.lab.yaml (1 problem):
  - config: must be a map of settings (aws:region: us-west-2, ...), was a list`},
		{"not YAML", "config:\n  aws:region: [\n", `stack lab: invalid configuration in Pulumi.lab.yaml (1 problem):
  - the file: is not valid YAML: line 2: did not find expected node content`},
		// Issue 24: Pulumi ignores an unknown top-level key; a misspelt
		// config: is named, beside the other problems of the run.
		{"a misspelt config:", "confg:\n  aws:region: us-west-2\nsecretprovider: passphrase\n", `stack lab: invalid configuration in Pulumi.lab.yaml (2 problems):
  - confg: is not a key of a stack file, and Pulumi ignores it; did you mean config:?
  - secretprovider: is not a key of a stack file, and Pulumi ignores it; did you mean secretsprovider:?`},
		// Issue 24: aws:region is a region name of a known partition (the
		// AWS SDK's partitions, "AWS Regions" in the AWS General Reference).
		{"a region as a list", "config:\n  aws:region: [us-west-2]\n", `stack lab: invalid configuration in Pulumi.lab.yaml (1 problem):
  - aws:region = "[\"us-west-2\"]": must be a plain string, not a list or a map`},
		{"a made-up region", "config:\n  aws:region: mars-1\n", `stack lab: invalid configuration in Pulumi.lab.yaml (1 problem):
  - aws:region = "mars-1": must be an AWS region name such as us-west-2, of a known partition (aws, aws-cn, aws-us-gov, ...)`},
		// Issue 24, the same rules as class status (internal/classes):
		// docs/classes.md says to set aws:profile or aws:assumeRole, not
		// both, and the role must be in the one allowed account.
		{"profile and role together, role in another account", `config:
  aws:region: us-east-1
  aws:profile: lab
  aws:allowedAccountIds: ["111122223333"]
  aws:assumeRole:
    roleArn: arn:aws:iam::999988887777:role/kms-lab-deployer
`, `stack lab: invalid configuration in Pulumi.lab.yaml (2 problems):
  - aws:assumeRole.roleArn = "arn:aws:iam::999988887777:role/kms-lab-deployer": must be a role in the allowed account 111122223333 (aws:allowedAccountIds), so that the stack deploys where its file says
  - aws:profile: is set together with aws:assumeRole: set one of the two, not both (docs/classes.md)`},
		{"an unquoted account, a user as the role", `config:
  aws:region: us-east-1
  aws:allowedAccountIds: [111122223333]
  aws:assumeRole:
    roleArn: arn:aws:iam::111122223333:user/u
`, `stack lab: invalid configuration in Pulumi.lab.yaml (2 problems):
  - aws:allowedAccountIds = "[111122223333]": must be a list of quoted 12-digit account IDs, such as ["111122223333"]
  - aws:assumeRole.roleArn = "arn:aws:iam::111122223333:user/u": must be an IAM role ARN; this one names an IAM user`},
		// Issue 24: a long value is cut, with its length.
		{"a 5000-character value", "config:\n  aws:region: us-east-1\n  kms-lab:trailName: " + strings.Repeat("t", 5000) + "\n", `stack lab: invalid configuration in Pulumi.lab.yaml (1 problem):
  - kms-lab:trailName = "` + strings.Repeat("t", 60) + `..." (5000 characters): must be 3 to 128 characters`},
		{"a secret setting", `config:
  aws:region: us-east-1
  kms-lab:keyAlias:
    secure: AAABAJn5
`, `stack lab: invalid configuration in Pulumi.lab.yaml (1 problem):
  - kms-lab:keyAlias: is a secret, and no kms-lab setting is secret; store it in plain text`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := stackconfig.Load("", project(t, "lab", tt.yaml))
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			var serr *stackconfig.Error
			require.True(t, errors.As(err, &serr), "a *stackconfig.Error, for callers that list the problems")
			assert.Len(t, serr.Problems, strings.Count(tt.want, "\n  - "))
		})
	}
}

// TestLoadAcceptsWhatTheProviderAndProjectRead: provider keys the lab's
// class stacks use, Pulumi's own namespace and other tools' keys pass.
func TestLoadAcceptsWhatTheProviderAndProjectRead(t *testing.T) {
	path := project(t, "ok", `config:
  aws:region: us-east-1
  aws:allowedAccountIds: ["111122223333"]
  aws:assumeRole:
    roleArn: arn:aws:iam::111122223333:role/kms-lab-deployer
  pulumi:tags:
    class: kms101
  grader:notes: kept for another tool
  kms-lab:keyUsers: [deployer, "arn:aws:iam::111122223333:user/AWSLabsUser-a"]
`)
	sc, err := stackconfig.Load("", path)
	require.NoError(t, err)
	assert.Equal(t, "us-east-1", sc.Region())
	assert.Equal(t, `["deployer","arn:aws:iam::111122223333:user/AWSLabsUser-a"]`, sc.Values["kms-lab:keyUsers"])
	assert.Equal(t, "myFirstKey", sc.Values["kms-lab:keyAlias"], "Pulumi.yaml's default")
}

// TestReadLeavesValueRulesToLoad: Read is for a caller that fetches the
// image after reading the stack (labplan diff against a git ref).
func TestReadLeavesValueRulesToLoad(t *testing.T) {
	path := project(t, "img", "config:\n  aws:region: us-east-1\n  kms-lab:imagePath: later/lab-image.png\n")
	sc, err := stackconfig.Read("", path)
	require.NoError(t, err)
	assert.Equal(t, "later/lab-image.png", sc.Values["kms-lab:imagePath"])

	_, err = stackconfig.Load("", path)
	require.Error(t, err)
	assert.Equal(t, `stack img: invalid configuration in Pulumi.img.yaml (1 problem):
  - kms-lab:imagePath = "later/lab-image.png": file does not exist`, err.Error())
}
