package tests

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// renderClass renders every stack of a class with labplan's renderer and
// returns one error line per stack that does not render.
func renderClass(dir string, c classes.Class) []string {
	var problems []string
	for _, s := range c.Stacks {
		if _, err := plan.RenderFile("", filepath.Join(dir, "Pulumi."+s+".yaml"), plan.Options{}); err != nil {
			problems = append(problems, fmt.Sprintf("class %s, stack %s: %v", c.Name, s, err))
		}
	}
	return problems
}

// TestClassStacksRender: every stack a class lists has a config that labplan
// renders; an invalid one fails here with its config error.
func TestClassStacksRender(t *testing.T) {
	for _, c := range clsClasses(t) {
		t.Run(c.Name, func(t *testing.T) {
			assert.Empty(t, renderClass(projectDir, c))
		})
	}
}

func TestClassStackWithInvalidConfigFails(t *testing.T) {
	dir := project(t, "broken", `config:
  aws:region: us-east-1
  aws:allowedAccountIds: ["444455556666"]
  kms-lab:keyUsers: ["AWSLabsUser"]
`)
	problems := renderClass(dir, classes.Class{Name: "demo", Stacks: []string{"broken", "missing"}})
	require.Len(t, problems, 2)
	assert.Contains(t, problems[0], `class demo, stack broken: stack broken: invalid configuration in Pulumi.broken.yaml (1 problem):`)
	assert.Contains(t, problems[0], `kms-lab:keyUsers = "AWSLabsUser": must be an IAM user, role or account root ARN`)
	assert.Contains(t, problems[1], "class demo, stack missing: stack config")
	assert.Contains(t, problems[1], "Pulumi.missing.yaml does not exist")
}
