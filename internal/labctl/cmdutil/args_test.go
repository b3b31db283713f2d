package cmdutil

import (
	"errors"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tree is labctl's shape: a root, a group, its runnable subcommands.
func tree() (root, group, leaf *cobra.Command) {
	run := func(*cobra.Command, []string) {}
	root = &cobra.Command{Use: "labctl"}
	group = &cobra.Command{Use: "class", Run: run}
	leaf = &cobra.Command{Use: "status", Run: run}
	group.AddCommand(leaf, &cobra.Command{Use: "watch", Run: run})
	root.AddCommand(group)
	return root, group, leaf
}

// Every argument error is a FlagError (exit code 2) that says where the
// help is.
func TestNoArgs(t *testing.T) {
	root, group, leaf := tree()
	tests := []struct {
		name string
		cmd  *cobra.Command
		args []string
		want string
	}{
		{"root, unknown command", root, []string{"clas"}, "unknown command \"clas\" for \"labctl\"; did you mean class? (see `labctl help`)"},
		{"group, unknown command", group, []string{"bogus"}, "unknown command \"bogus\" for \"labctl class\" (see `labctl help class`)"},
		{"leaf, an argument", leaf, []string{"a", "b"}, "class status takes no arguments, got \"a b\" (see `labctl help class status`)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := NoArgs(tt.cmd, tt.args)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			var fe *FlagError
			assert.ErrorAs(t, err, &fe)
			code, msg := ExitCode(err)
			assert.Equal(t, ExitError, code)
			assert.True(t, msg)
		})
	}
	assert.NoError(t, NoArgs(leaf, nil))
}

func TestRequireSubcommand(t *testing.T) {
	_, group, _ := tree()
	RequireSubcommand(group)
	err := group.RunE(group, nil)
	assert.EqualError(t, err, "class needs a subcommand: status, watch (see `labctl help class`)")
	var fe *FlagError
	assert.ErrorAs(t, err, &fe)
}

func TestFlagErrorFunc(t *testing.T) {
	root, _, leaf := tree()
	parse := errors.New("unknown flag: --yaml")
	assert.EqualError(t, FlagErrorFunc(leaf, parse), "class status: unknown flag: --yaml (see `labctl help class status`)")
	assert.EqualError(t, FlagErrorFunc(root, parse), "unknown flag: --yaml (see `labctl help`)")
	assert.ErrorIs(t, FlagErrorFunc(leaf, parse), parse)
}
