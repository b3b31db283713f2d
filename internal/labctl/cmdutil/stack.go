package cmdutil

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

// AddOutputsFlag registers --outputs, the stack outputs file verify and
// events read (or "-" for stdin), into outputs.
func AddOutputsFlag(cmd *cobra.Command, outputs *string) {
	cmd.Flags().StringVar(outputs, "outputs", "", "stack outputs `file` (`pulumi stack output --json`); \"-\" or a lone - argument reads stdin")
	_ = cmd.MarkFlagFilename("outputs", "json")
}

// StdinArg is the Args validator of a command whose one optional argument
// is "-", the stack outputs on stdin.
func StdinArg(cmd *cobra.Command, args []string) error {
	if len(args) > 1 || (len(args) == 1 && args[0] != "-") {
		return FlagErrorf("unexpected argument(s) %s: the only argument is - (outputs on stdin)", strings.Join(args, " "))
	}
	return nil
}

// CompleteStdinArg completes StdinArg's "-" rather than offering file
// names that would be refused.
func CompleteStdinArg(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return []cobra.Completion{cobra.CompletionWithDesc("-", "stack outputs on stdin")}, cobra.ShellCompDirectiveNoFileComp
}

// LoadOutputs reads the stack outputs from the --outputs file or, with the
// lone "-" argument, from stdin.
func LoadOutputs(outputsFlag string, args []string, stdin io.Reader) (*stackout.Outputs, error) {
	src := outputsFlag
	switch {
	case len(args) == 1 && src != "":
		return nil, FlagErrorf("give the outputs either as - (stdin) or with --outputs, not both")
	case len(args) == 1:
		src = "-"
	case src == "":
		return nil, FlagErrorf("no stack outputs: pipe them in (`pulumi stack output --json | labctl CMD -`) or pass --outputs FILE")
	}
	return stackout.Load(src, stdin)
}

// ConnectToStack connects with opts to the stack's region and makes sure
// the credentials are for the stack's account: every lookup in another
// account would fail with "not found" and hide the real mistake.
func ConnectToStack(ctx context.Context, connect AWSConnector, opts awsclient.Options, out *stackout.Outputs) (*awsclient.Clients, awsclient.Identity, error) {
	clients, err := connect(ctx, opts, out.Region)
	if err != nil {
		return nil, awsclient.Identity{}, err
	}
	id, err := clients.WhoAmI(ctx)
	if err != nil {
		return nil, awsclient.Identity{}, err
	}
	if err := id.CheckAccount(out.AccountID); err != nil {
		return nil, awsclient.Identity{}, err
	}
	return clients, id, nil
}

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
