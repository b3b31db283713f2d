package class

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/awsstub"
)

// class only groups its subcommands: without one, or with one it does not
// have, it is a usage error (exit 2) that says where the help is, not its
// help and exit 0 as a cobra group would give.
func TestClassNeedsASubcommand(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"none", nil, "class needs a subcommand: "},
		{"unknown", []string{"stats"}, `unknown command "stats" for "class"; did you mean status?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, io := awsstub.New(t).Factory("", time.Time{}, nil)
			cmd := NewCmdClass(f)
			cmd.SetArgs(append([]string{}, tt.args...))
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			var flagErr *cmdutil.FlagError
			assert.ErrorAs(t, err, &flagErr)
			code, _ := cmdutil.ExitCode(err)
			assert.Equal(t, cmdutil.ExitError, code)
			assert.Empty(t, io.Out.String())
		})
	}
}

func TestClassListsStatus(t *testing.T) {
	f, _ := awsstub.New(t).Factory("", time.Time{}, nil)
	cmd := NewCmdClass(f)
	sub, rest, err := cmd.Find([]string{"status", "classes/kms101.yaml"})
	require.NoError(t, err)
	assert.Equal(t, "status", sub.Name())
	assert.Equal(t, []string{"classes/kms101.yaml"}, rest)
}
