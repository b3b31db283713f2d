package cmdutil

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// RequireSubcommand makes cmd, a command that only groups others, refuse
// to run without one: an unknown one is NoArgs's "unknown command", none at
// all a FlagError naming them. Without this, cobra prints the group's help
// and exits 0.
func RequireSubcommand(cmd *cobra.Command) {
	cmd.Args = NoArgs
	cmd.RunE = func(c *cobra.Command, _ []string) error {
		var names []string
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() {
				names = append(names, sub.Name())
			}
		}
		return FlagErrorf("%s needs a subcommand: %s (see `%s`)", path(c), strings.Join(names, ", "), help(c))
	}
}

// NoArgs is cobra.NoArgs with labctl's wording: for a group, an argument
// is an unknown command, with cobra's suggestions; for any other command,
// an argument it does not take. Either way the error says where the help
// is.
func NoArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if !c.HasSubCommands() {
		return FlagErrorf("%s takes no arguments, got %q (see `%s`)", path(c), strings.Join(args, " "), help(c))
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], c.CommandPath())
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2 // cobra's own default
	}
	if s := c.SuggestionsFor(args[0]); len(s) > 0 {
		msg += fmt.Sprintf("; did you mean %s?", strings.Join(s, " or "))
	}
	return FlagErrorf("%s (see `%s`)", msg, help(c))
}

// FlagErrorFunc is the root's SetFlagErrorFunc: a flag cobra cannot parse
// is a FlagError naming the command and where its help is.
func FlagErrorFunc(c *cobra.Command, err error) error {
	if !c.HasParent() {
		return FlagErrorWrap(fmt.Errorf("%w (see `%s`)", err, help(c)))
	}
	return FlagErrorWrap(fmt.Errorf("%s: %w (see `%s`)", path(c), err, help(c)))
}

// path is c's command path without the program: "class status".
func path(c *cobra.Command) string {
	return strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" ")
}

// help is the command that shows c's help: "labctl help class status".
func help(c *cobra.Command) string {
	if !c.HasParent() {
		return c.Root().Name() + " help"
	}
	return c.Root().Name() + " help " + path(c)
}

// ClassFileArg is the Args of a `class` subcommand: exactly one argument,
// the class file.
func ClassFileArg(c *cobra.Command, args []string) error {
	if len(args) != 1 {
		// Named in full: a test runs a subcommand without its parents.
		return FlagErrorf("class %s takes one class file, got %d arguments: labctl class %[1]s classes/<class>.yaml", c.Name(), len(args))
	}
	return nil
}

// ClassFileCompletion completes a `class` subcommand's one argument with
// YAML files, and nothing after it.
func ClassFileCompletion(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return []cobra.Completion{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
}
