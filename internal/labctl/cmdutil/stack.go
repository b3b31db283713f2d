package cmdutil

import (
	"context"
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
