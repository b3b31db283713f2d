// Package labctl is the labctl command: `preflight` checks a lab account
// before the first deploy, `verify` checks a deployed lab account against the
// stack's outputs, `events` finds the lab key's and image's activity in the
// trail's CloudTrail log files (lab tasks 4-6), `check` grades a lab done by
// hand, `class status` and `class watch` run verify or check over every
// account of a class, `clean` and `class clean` remove labs done by hand,
// and `version` says what was built. Each command is a package under cmd/;
// Main runs them.
package labctl

import (
	"context"
	"errors"
	"fmt"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmd/root"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

// Main runs args (without the program name) with f and returns the exit
// code: the one place an error becomes a code (cmdutil.ExitCode) and is
// printed, as one line "labctl: ..." on stderr; a usage mistake (a
// FlagError) is followed by the command's usage.
func Main(ctx context.Context, f *cmdutil.Factory, args []string) int {
	cmd := root.NewCmdRoot(f)
	if args == nil {
		args = []string{} // with nil, cobra would read os.Args
	}
	cmd.SetArgs(args)
	ran, err := cmd.ExecuteContextC(ctx)
	code, print := cmdutil.ExitCode(err)
	if print {
		fmt.Fprintln(f.IOStreams.ErrOut, "labctl: "+awsclient.OneLine(err.Error()))
	}
	var flagErr *cmdutil.FlagError
	if errors.As(err, &flagErr) && ran != nil {
		// As GitHub's CLI does: a usage mistake is followed by the usage
		// of the command it was made in.
		fmt.Fprintln(f.IOStreams.ErrOut)
		fmt.Fprint(f.IOStreams.ErrOut, ran.UsageString())
	}
	return code
}
