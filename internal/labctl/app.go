// Package labctl is the labctl command: `preflight` checks a lab account
// before the first deploy, `verify` checks a deployed lab account against the
// stack's outputs, `events` finds the lab key's and image's activity in the
// trail's CloudTrail log files (lab tasks 4-6), `check` grades a lab done by
// hand, `class status` runs verify or check over every account of a class,
// and `version` says what was built. Each command is a package under cmd/;
// Main runs them.
package labctl

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmd/root"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

// Main runs args (without the program name) with f and returns the exit
// code: the one place an error becomes a code (cmdutil.ExitCode) and is
// printed, as one line "labctl: ..." on stderr.
func Main(ctx context.Context, f *cmdutil.Factory, args []string) int {
	cmd := root.NewCmdRoot(f)
	if args == nil {
		args = []string{} // with nil, cobra would read os.Args
	}
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	code, print := cmdutil.ExitCode(err)
	if print {
		fmt.Fprintln(f.IOStreams.ErrOut, "labctl: "+awsclient.OneLine(err.Error()))
	}
	return code
}

// App runs labctl in-process with the real AWS connector and these
// streams, for black-box tests that drive a moto server.
type App struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Run is Main with a Factory on a's streams and clock.
func (a *App) Run(ctx context.Context, args []string) int {
	f := cmdutil.New(cmdutil.BuildInfo{})
	f.IOStreams = &cmdutil.IOStreams{In: a.Stdin, Out: a.Stdout, ErrOut: a.Stderr}
	if a.Now != nil {
		f.Now = a.Now
	}
	return Main(ctx, f, args)
}
