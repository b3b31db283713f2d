package labctl

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

// commonFlags are the flags every subcommand takes.
type commonFlags struct {
	outputs string
	aws     awsclient.Options
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.outputs, "outputs", "", "stack outputs `file` (`pulumi stack output --json`); \"-\" or a lone - argument reads stdin")
	fs.StringVar(&c.aws.Profile, "profile", "", "AWS shared config `profile` (default: AWS_PROFILE or the default chain)")
	fs.StringVar(&c.aws.Region, "region", "", "AWS `region` (default: the stack's region from the outputs)")
	fs.StringVar(&c.aws.EndpointURL, "endpoint-url", "", "AWS endpoint `URL` for an emulator; S3 is then addressed path-style")
}

// parseArgs parses flags that may come before or after positional
// arguments (`labctl verify - --json`), which the flag package alone does
// not allow.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
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

// newFlagSet makes a subcommand's flag set that returns errors instead of
// printing them with the whole usage: labctl reports a bad flag in one line.
func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseCommand parses a subcommand's arguments. -h prints the command's
// help to w and yields flag.ErrHelp.
func parseCommand(fs *flag.FlagSet, args []string, w io.Writer) ([]string, error) {
	positional, err := parseArgs(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printCommandHelp(w, fs)
		return nil, err
	}
	if err != nil {
		return nil, usageError(fmt.Sprintf("%s: %v (see `labctl help %s`)", fs.Name(), err, fs.Name()))
	}
	return positional, nil
}
