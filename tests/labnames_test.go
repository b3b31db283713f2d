package tests

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kms-lab/kms-lab/internal/labnames"
	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// labctl preflight names the program's resources in `pulumi import`
// commands from internal/labnames instead of running the program; every
// committed stack's plan must register exactly those resources, under those
// names and parents, or the commands would import into the wrong URN.
func TestLabnamesMatchWhatTheProgramRegisters(t *testing.T) {
	stacks, err := filepath.Glob(filepath.Join(projectDir, "Pulumi.*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, stacks)
	for _, file := range stacks {
		t.Run(filepath.Base(file), func(t *testing.T) {
			p, err := plan.RenderFile("", file, plan.Options{})
			require.NoError(t, err)
			type entry struct{ typ, name, parent string }
			var registered []entry
			for _, r := range p.Resources {
				if strings.HasPrefix(r.Type, "aws:") {
					registered = append(registered, entry{r.Type, r.Name, r.Parent})
				}
			}
			var named []entry
			for _, r := range labnames.Resources() {
				named = append(named, entry{r.Type, r.Name, r.ParentURN(p.Project, p.Stack)})
			}
			assert.ElementsMatch(t, registered, named)
		})
	}
}
