// Package cmdtest runs a labctl command's parsing in-process, the way
// GitHub's CLI tests a command through its runF: the command gets a runF
// that keeps its Options instead of running, so a test sees what a run
// would get, or the usage error.
package cmdtest

import (
	"io"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

// Parse builds the command with newCmd on f and runs it with args. Flag
// errors go through cmdutil.FlagErrorFunc, as under labctl's root. It
// returns the Options the run would get (nil when it would not run) and
// the command's error.
func Parse[O any](f *cmdutil.Factory, newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, args ...string) (*O, error) {
	var got *O
	cmd := newCmd(f, func(o *O) error { got = o; return nil })
	cmd.SetArgs(append([]string{}, args...))
	cmd.SetFlagErrorFunc(cmdutil.FlagErrorFunc)
	cmdutil.CheckFlagsOf(cmd)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()
	return got, err
}

// UsageError asserts that err is a usage error: its text contains want,
// and it exits 2, as labctl documents for every usage mistake.
func UsageError(t testing.TB, err error, want string) {
	t.Helper()
	require.Error(t, err)
	assert.Contains(t, err.Error(), want)
	code, _ := cmdutil.ExitCode(err)
	assert.Equal(t, cmdutil.ExitError, code, "a usage error exits 2")
}
