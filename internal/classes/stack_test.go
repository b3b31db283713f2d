package classes

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseStack(t *testing.T) {
	st, ps := parseStack("Pulumi.s1.yaml", "s1", []byte(`config:
  aws:region: us-east-1
  aws:allowedAccountIds: ["111122223333"]
  aws:assumeRole:
    roleArn: arn:aws:iam::111122223333:role/kms-lab-deployer
    sessionName: kms-lab-s1
    externalId: class-c1
  kms-lab:keyUsers: [deployer, "arn:aws:iam::111122223333:user/AWSLabsUser"]
`))
	require.Empty(t, ps)
	assert.Equal(t, Stack{Name: "s1", File: "Pulumi.s1.yaml", Account: "111122223333", Region: "us-east-1",
		AssumeRole: &AssumeRole{RoleARN: "arn:aws:iam::111122223333:role/kms-lab-deployer", SessionName: "kms-lab-s1", ExternalID: "class-c1"},
		Student:    "arn:aws:iam::111122223333:user/AWSLabsUser"}, st, "\"deployer\" is no student ARN")
}

func TestParseStackProblems(t *testing.T) {
	const good = "  aws:region: us-east-1\n  aws:allowedAccountIds: [\"210987654321\"]\n"
	tests := []struct {
		name, body string
		want       []string // each a problem, after "Pulumi.s.yaml: "
	}{
		{"not YAML", "  aws:region: [\n", []string{"not valid YAML"}},
		{"no region, no account", "  aws:profile: lab\n", []string{
			`aws:region = "": required: the lab account's region`,
			`aws:allowedAccountIds = "": required: must list exactly one quoted 12-digit account ID`,
		}},
		{"two accounts", "  aws:region: us-east-1\n  aws:allowedAccountIds: [\"210987654321\", \"210987654322\"]\n",
			[]string{`aws:allowedAccountIds = "[\"210987654321\", \"210987654322\"]": must list exactly one quoted 12-digit account ID`}},
		{"unquoted account", "  aws:region: us-east-1\n  aws:allowedAccountIds: [210987654321]\n",
			[]string{`aws:allowedAccountIds = "[210987654321]": must list exactly one quoted`}},
		{"secret region", "  aws:region:\n    secure: AAABAxyz\n  aws:allowedAccountIds: [\"210987654321\"]\n",
			[]string{`aws:region = "secure: AAABAxyz": must be a plain string, not a secret`}},
		{"secret external ID, role elsewhere", good + "  aws:assumeRole:\n    roleArn: arn:aws:iam::999988887777:role/r\n    externalId:\n      secure: AAABAxyz\n", []string{
			`aws:assumeRole.externalId = "secure: AAABAxyz": must be a plain string, not a secret`,
			`aws:assumeRole.roleArn = "arn:aws:iam::999988887777:role/r": must be a role in the allowed account 210987654321`,
		}},
		{"role as string", good + "  aws:assumeRole: arn:aws:iam::210987654321:role/r\n",
			[]string{`aws:assumeRole = "arn:aws:iam::210987654321:role/r": must be a map with roleArn`}},
		{"user as role", good + "  aws:assumeRole:\n    roleArn: arn:aws:iam::210987654321:user/u\n",
			[]string{`aws:assumeRole.roleArn = "arn:aws:iam::210987654321:user/u": must be an IAM role ARN; this one names an IAM user`}},
		{"no role ARN", good + "  aws:assumeRole:\n    sessionName: s\n",
			[]string{`aws:assumeRole.roleArn = "": must be an IAM role ARN; this one is not an ARN`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := parseStack("Pulumi.s.yaml", "s", []byte("config:\n"+tt.body))
			require.Len(t, ps, len(tt.want), "%v", ps)
			for i, w := range tt.want {
				assert.Equal(t, "Pulumi.s.yaml", ps[i].File)
				assert.Contains(t, ps[i].Rule, w)
			}
		})
	}
}

// TestLoadReportsStackProblems: the workflows' matrix applies the stack file
// rules labctl does, naming the file relative to the repository root.
func TestLoadReportsStackProblems(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "classes"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "classes", "c.yaml"), []byte("name: c\nstacks: [a, b]\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "Pulumi.a.yaml"),
		[]byte("config:\n  aws:region: us-east-1\n  aws:allowedAccountIds: [\"210987654321\"]\n  aws:profile:\n    secure: AAABAxyz\n"), 0o644))
	_, err := Load(root)
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, `Pulumi.a.yaml: aws:profile = "secure: AAABAxyz": must be a plain string, not a secret`)
	assert.Contains(t, msg, `classes/c.yaml: stack "b" has no stack file Pulumi.b.yaml`)
	assert.Equal(t, 2, strings.Count(msg, "\n"), "two problems, reported together: %s", msg)
}
