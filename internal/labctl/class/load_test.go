package class

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/classes"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return dir
}

func TestLoad(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"classes/c1.yaml": "name: c1\nenabled: false\nstartsAt: \"2026-12-04T09:00:00Z\"\nendsAt: \"2026-12-04T17:00:00Z\"\nstacks:\n  - s2\n  - s1\n",
		// The shapes of the repository's Pulumi.kms101-acct0N.yaml files.
		"Pulumi.s1.yaml": `config:
  aws:region: us-east-1
  aws:allowedAccountIds: ["111122223333"]
  aws:assumeRole:
    roleArn: arn:aws:iam::111122223333:role/kms-lab-deployer
    sessionName: kms-lab-s1
    externalId: class-c1
  kms-lab:keyUsers:
    - arn:aws:iam::111122223333:user/AWSLabsUser
`,
		"Pulumi.s2.yaml": `config:
  aws:region: us-west-2
  aws:allowedAccountIds: ["777788889999"]
  aws:profile: kms101-acct03
  kms-lab:keyUsers: [deployer]
`,
	})
	c, err := Load(filepath.Join(dir, "classes", "c1.yaml"), "")
	require.NoError(t, err)
	assert.Equal(t, "c1", c.Name)
	assert.Equal(t, Deployed, c.Mode, "a class file without mode: is deployed (issue 16)")
	require.Len(t, c.Stacks, 2)
	assert.Equal(t, classes.Stack{Name: "s1", File: filepath.Join(dir, "Pulumi.s1.yaml"), Region: "us-east-1", Account: "111122223333",
		AssumeRole: &classes.AssumeRole{RoleARN: "arn:aws:iam::111122223333:role/kms-lab-deployer", SessionName: "kms-lab-s1", ExternalID: "class-c1"},
		Student:    "arn:aws:iam::111122223333:user/AWSLabsUser"}, c.Stacks[0], "sorted by stack")
	assert.Equal(t, classes.Stack{Name: "s2", File: filepath.Join(dir, "Pulumi.s2.yaml"), Region: "us-west-2", Account: "777788889999",
		Profile: "kms101-acct03"}, c.Stacks[1], "\"deployer\" is no student ARN")
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // each a line of the error
	}{
		{"unknown class field", map[string]string{"classes/c.yaml": "name: c\nstack: [a]\n"},
			[]string{"stack: not a field of a class file; did you mean stacks?"}},
		{"misspelt mode", map[string]string{"classes/c.yaml": "name: c\nmode: manual\nstacks: [a]\n",
			"Pulumi.a.yaml": "config:\n  aws:region: us-east-1\n  aws:allowedAccountIds: [\"111122223333\"]\n"},
			[]string{`c.yaml: mode "manual": use deployed (the default) or by-hand`}},
		{"no stacks", map[string]string{"classes/c.yaml": "name: c\n"},
			[]string{"stacks: the list of the class's stacks is empty"}},
		{"stack file missing, listed twice", map[string]string{"classes/c.yaml": "name: c\nstacks: [a, a]\n"},
			[]string{`stack "a" has no stack file`, `stack "a" is listed twice`}},
		// The class file rules are internal/classes', the workflows' ones:
		// labctl refuses what the matrix would refuse.
		{"name differs from the file name", map[string]string{
			"classes/c.yaml": "name: kms101\nstacks: [a]\n",
			"Pulumi.a.yaml":  "config:\n  aws:region: us-east-1\n  aws:allowedAccountIds: [\"111122223333\"]\n",
		}, []string{`c.yaml: name "kms101" must equal the file name "c"`}},
		{"local time, bad stack name", map[string]string{"classes/c.yaml": "name: c\nendsAt: \"2026-12-04 17:00\"\nstacks: [\"../a\"]\n"},
			[]string{`endsAt "2026-12-04 17:00" must be a UTC time`, `stack "../a": a stack name is letters, digits`}},
		{"several problems in one stack file", map[string]string{
			"classes/c.yaml": "name: c\nstacks: [a]\n",
			"Pulumi.a.yaml": `config:
  aws:allowedAccountIds: ["111122223333"]
  aws:assumeRole:
    roleArn: arn:aws:iam::444455556666:role/x
    externalId:
      secure: AAABAxyz
`},
			[]string{
				`aws:region = "": required: the lab account's region`,
				`aws:assumeRole.externalId = "secure: AAABAxyz": must be a plain string, not a secret`,
				`aws:assumeRole.roleArn = "arn:aws:iam::444455556666:role/x": must be a role in the allowed account 111122223333`,
			}},
		{"bad role and account list", map[string]string{
			"classes/c.yaml": "name: c\nstacks: [a]\n",
			"Pulumi.a.yaml":  "config:\n  aws:region: us-east-1\n  aws:allowedAccountIds: [\"1\", \"2\"]\n  aws:assumeRole:\n    roleArn: arn:aws:iam::111122223333:user/u\n",
		}, []string{
			`aws:assumeRole.roleArn = "arn:aws:iam::111122223333:user/u": must be an IAM role ARN`,
			`aws:allowedAccountIds = "[\"1\", \"2\"]": must list exactly one quoted 12-digit account ID`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			_, err := Load(filepath.Join(dir, "classes", "c.yaml"), "")
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
			var ps classes.Problems
			require.ErrorAs(t, err, &ps)
			for _, p := range ps {
				assert.True(t, strings.HasPrefix(p.File, dir), "%s names its file", p)
			}
		})
	}
}

// TestLoadRepositoryClass loads the committed example class, so that a
// change to the class or stack file format shows here.
func TestLoadRepositoryClass(t *testing.T) {
	c, err := Load(filepath.Join("..", "..", "..", "classes", "kms101.yaml"), "")
	require.NoError(t, err)
	require.Len(t, c.Stacks, 3)
	assert.Equal(t, "kms101-acct01", c.Stacks[0].Name)
	assert.Equal(t, "111122223333", c.Stacks[0].Account)
	require.NotNil(t, c.Stacks[0].AssumeRole)
	assert.Equal(t, "arn:aws:iam::111122223333:role/kms-lab-deployer", c.Stacks[0].AssumeRole.RoleARN)
	assert.Equal(t, "kms101-acct03", c.Stacks[2].Profile, "acct03 is reached through a named profile")
	assert.Equal(t, "us-west-2", c.Stacks[2].Region)
}
