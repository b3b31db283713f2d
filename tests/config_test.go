package tests

// Config problems as a user meets them: labplan run on a stack file with
// mistakes reports all of them in one run (issue 14, item 5). The exact
// messages of every rule are tested beside the packages, in internal/config
// and internal/stackconfig.

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// projectDir is the repository root, where Pulumi.yaml and assets/ live.
const projectDir = ".."

func TestLabplanReportsEveryConfigProblemInOneRun(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"a misspelt setting and a session ARN", `config:
  aws:region: us-west-2
  kms-lab:keyAlais: x
  kms-lab:keyUsers:
    - arn:aws:sts::111122223333:assumed-role/Admin/alice
`, `labplan: stack typos: invalid configuration in Pulumi.typos.yaml (2 problems):
  - kms-lab:keyAlais: not a setting of this project; did you mean kms-lab:keyAlias?
  - kms-lab:keyUsers = "arn:aws:sts::111122223333:assumed-role/Admin/alice": is an assumed-role session ARN, which is not a valid key-policy principal; use the role ARN arn:aws:iam::111122223333:role/Admin
`},
		{"a misspelt aws:region", "config:\n  aws:regoin: us-west-2\n",
			`labplan: stack typos: invalid configuration in Pulumi.typos.yaml (1 problem):
  - aws:regoin: not a setting of the AWS provider, which refuses it at pulumi up; did you mean aws:region?
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := project(t, "typos", tt.yaml)
			res := runLabplan(t, dir, "--config", "Pulumi.typos.yaml")
			assert.Equal(t, 2, res.code, "invalid config exits 2")
			assert.Empty(t, res.stdout)
			assert.Equal(t, tt.want, res.stderr)
		})
	}
}
