package labctl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

// commonFlags are the flags every subcommand takes.
type commonFlags struct {
	outputs string
	aws     awsclient.Options
}

func (c *commonFlags) register(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&c.outputs, "outputs", "", "stack outputs `file` (`pulumi stack output --json`); \"-\" or a lone - argument reads stdin")
	fs.StringVar(&c.aws.Profile, "profile", "", "AWS shared config `profile` (default: AWS_PROFILE or the default chain)")
	fs.StringVar(&c.aws.Region, "region", "", "AWS `region` (default: the stack's region from the outputs)")
	fs.StringVar(&c.aws.EndpointURL, "endpoint-url", "", "AWS endpoint `URL` for an emulator; S3 is then addressed path-style")
	_ = cmd.MarkFlagFilename("outputs", "json")
}

// loadOutputs reads the outputs from --outputs or the lone "-" argument.
func (c *commonFlags) loadOutputs(positional []string, stdin io.Reader) (*stackout.Outputs, error) {
	src := c.outputs
	switch {
	case len(positional) > 1 || (len(positional) == 1 && positional[0] != "-"):
		return nil, usageError(fmt.Sprintf("unexpected argument(s) %s: the only argument is - (outputs on stdin)", strings.Join(positional, " ")))
	case len(positional) == 1 && src != "":
		return nil, usageError("give the outputs either as - (stdin) or with --outputs, not both")
	case len(positional) == 1:
		src = "-"
	case src == "":
		return nil, usageError("no stack outputs: pipe them in (`pulumi stack output --json | labctl CMD -`) or pass --outputs FILE")
	}
	return stackout.Load(src, stdin)
}

// connect builds the clients and makes sure they are for the stack's
// account.
func (c *commonFlags) connect(ctx context.Context, out *stackout.Outputs) (*awsclient.Clients, awsclient.Identity, error) {
	clients, err := awsclient.New(ctx, c.aws, out.Region)
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

// stdinArg completes the one positional argument verify and events take,
// "-", rather than offering file names that would be refused.
func stdinArg(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return []cobra.Completion{cobra.CompletionWithDesc("-", "stack outputs on stdin")}, cobra.ShellCompDirectiveNoFileComp
}

// walkCommands follows the leading (sub)command names in args and returns
// the command they name and the arguments after them.
func walkCommands(root *cobra.Command, args []string) (*cobra.Command, []string) {
	cmd := root
	for len(args) > 0 {
		next := subcommand(cmd, args[0])
		if next == nil {
			break
		}
		cmd, args = next, args[1:]
	}
	return cmd, args
}

func subcommand(cmd *cobra.Command, name string) *cobra.Command {
	for _, c := range cmd.Commands() {
		if c.Name() == name || c.HasAlias(name) {
			return c
		}
	}
	return nil
}

// checkSubcommand refuses a missing or unknown subcommand of a command
// that only groups others (labctl, class, completion). Cobra would print
// the help and succeed; labctl's contract is exit code 2 and one line.
func checkSubcommand(cmd *cobra.Command, rest []string) error {
	if cmd.Runnable() || !cmd.HasSubCommands() {
		return nil
	}
	path := commandName(cmd)
	switch {
	case len(rest) == 0:
		return usageError(fmt.Sprintf("%s needs a subcommand: %s (see `labctl help %s`)", path, commandList(cmd), path))
	case strings.HasPrefix(rest[0], "-"):
		return nil // -h, or a flag error cobra reports
	case rest[0] == "help":
		return nil // `labctl class help`: the group's help
	case !cmd.HasParent() && (rest[0] == cobra.ShellCompRequestCmd || rest[0] == cobra.ShellCompNoDescRequestCmd):
		return nil // the shell asking for completions; cobra adds these at Execute
	case !cmd.HasParent():
		return usageError(fmt.Sprintf("unknown command %q: the commands are %s (see `labctl help`)", rest[0], commandList(cmd)))
	}
	if len(cmd.Commands()) == 1 {
		return usageError(fmt.Sprintf("unknown %s subcommand %q: the only one is %s (see `labctl help %s`)", path, rest[0], commandList(cmd), path))
	}
	return usageError(fmt.Sprintf("unknown %s subcommand %q: the subcommands are %s (see `labctl help %s`)", path, rest[0], commandList(cmd), path))
}

// commandName is cmd's path without "labctl", as `labctl help` takes it.
func commandName(cmd *cobra.Command) string {
	_, name, _ := strings.Cut(cmd.CommandPath(), " ")
	return name
}

// commandList names cmd's subcommands for an error message: "a, b and c".
func commandList(cmd *cobra.Command) string {
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// singleDashLongFlags rewrites -name and -name=value to --name for cmd's
// long flags. labctl used Go's flag package, which accepts one dash as
// well as two; pflag would read -json as the shorthands -j -s -o -n, and
// its NormalizeFunc sees names only after that split. A flag's value is
// left alone, and so is everything after "--".
func singleDashLongFlags(cmd *cobra.Command, args []string) []string {
	out := make([]string, 0, len(args))
	fs := cmd.Flags()
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return append(out, args[i:]...)
		}
		name, hasValue := "", false
		switch {
		case strings.HasPrefix(arg, "--"):
			name, _, hasValue = strings.Cut(arg[2:], "=")
		case strings.HasPrefix(arg, "-") && len(arg) > 2:
			name, _, hasValue = strings.Cut(arg[1:], "=")
			if len(name) > 1 && (fs.Lookup(name) != nil || name == "help") {
				arg = "-" + arg
			}
		}
		out = append(out, arg)
		// "--since -2h" style values: the next argument belongs to the flag.
		if f := fs.Lookup(name); f != nil && !hasValue && f.NoOptDefVal == "" && i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
	}
	return out
}

// flagError words pflag's parse errors as labctl's flag package did, for
// the scripts and tests that match them, naming the command and its help.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	var (
		notExist *pflag.NotExistError
		noValue  *pflag.ValueRequiredError
		badValue *pflag.InvalidValueError
	)
	switch {
	case errors.As(err, &notExist):
		name := notExist.GetSpecifiedName()
		if s := notExist.GetSpecifiedShortnames(); s != "" {
			name = s // -yaml, not the shorthand y it starts with
		}
		msg = "flag provided but not defined: -" + name
	case errors.As(err, &noValue):
		msg = "flag needs an argument: -" + noValue.GetSpecifiedName()
	case errors.As(err, &badValue):
		cause := errors.Unwrap(badValue)
		var num *strconv.NumError
		if errors.As(cause, &num) {
			cause = num.Err // "invalid syntax", without strconv's function name
		}
		msg = fmt.Sprintf("invalid value %q for flag -%s: %v", badValue.GetValue(), badValue.GetFlag().Name, cause)
	}
	name := commandName(cmd)
	if name == "" {
		return usageError(fmt.Sprintf("%s (see `labctl help`)", msg))
	}
	return usageError(fmt.Sprintf("%s: %s (see `labctl help %s`)", name, msg, name))
}
