// Package labctl is the labctl command: `preflight` checks a lab account
// before the first deploy, `verify` checks a deployed lab account against the
// stack's outputs, `events` finds the lab key's and image's activity in the
// trail's CloudTrail log files (lab tasks 4-6), `check` grades a lab done by
// hand, and `class status` runs verify or check over every account of a class.
package labctl

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/spf13/cobra"
)

// Exit codes, also listed in the help text.
const (
	ExitOK      = 0 // everything checked out / search complete
	ExitFailed  = 1 // verify: at least one check failed
	ExitError   = 2 // bad usage, bad outputs, or an AWS error; nothing (more) to report
	ExitSkipped = 3 // events: results printed, but some log files could not be read
)

// App is one invocation's environment. Tests run it in-process with
// buffers; cmd/labctl wires it to the process.
type App struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Now is the clock for --since/--until ages and --wait; nil means
	// time.Now.
	Now func() time.Time
}

// Run executes args (without the program name) and returns the exit code.
// Every error is printed as one line on stderr, prefixed "labctl:".
func (a *App) Run(ctx context.Context, args []string) int {
	code := ExitOK
	root := a.newRootCmd(&code)
	if len(args) == 0 {
		// The overview is the error: it goes to stderr, so that nothing
		// lands on stdout for a usage error.
		root.SetOut(a.Stderr)
		_ = root.Help()
		return ExitError
	}
	// A leading help flag asks for the help of what follows, as
	// `labctl --help verify` always has: cobra would read the command as the
	// flag's value.
	switch args[0] {
	case "-h", "-help", "--help":
		args = append([]string{"help"}, args[1:]...)
	}
	cmd, rest := walkCommands(root, args)
	if err := checkSubcommand(cmd, rest); err != nil {
		fmt.Fprintln(a.Stderr, "labctl: "+awsclient.OneLine(err.Error()))
		return ExitError
	}
	// Never nil, even for no flags: with nil, cobra would read os.Args.
	full := make([]string, 0, len(args))
	full = append(full, args[:len(args)-len(rest)]...)
	root.SetArgs(append(full, singleDashLongFlags(cmd, rest)...))
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(a.Stderr, "labctl: "+awsclient.OneLine(err.Error()))
		return ExitError
	}
	return code
}

// newRootCmd builds the command tree for one Run: cobra commands hold
// their parsed flags, so a tree is never shared between runs. Each
// subcommand stores its exit code in *code.
func (a *App) newRootCmd(code *int) *cobra.Command {
	root := &cobra.Command{
		Use:     "labctl",
		Short:   "Check a kms-lab account, a deployed lab, a lab done by hand or a whole class",
		Long:    overview,
		Example: overviewExamples,
		// labctl prints errors itself, as one line, and never the usage
		// after an error.
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(a.Stdin)
	root.SetOut(a.Stdout)
	root.SetErr(a.Stderr)
	root.SetFlagErrorFunc(flagError)
	run := runFunc(func(fn func(ctx context.Context, args []string) (int, error)) func(*cobra.Command, []string) error {
		return func(cmd *cobra.Command, args []string) error {
			c, err := fn(cmd.Context(), args)
			*code = c
			return err
		}
	})
	root.AddCommand(
		a.newVerifyCmd(run),
		a.newEventsCmd(run),
		a.newCheckCmd(run),
		a.newClassCmd(run),
		a.newPreflightCmd(run),
	)
	root.SetHelpCommand(newHelpCmd())
	// Added now rather than at Execute, so that the unknown-command check
	// and the bare `labctl` overview see them.
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	return root
}

// runFunc adapts a subcommand's (exit code, error) result to cobra.
type runFunc func(fn func(ctx context.Context, args []string) (int, error)) func(*cobra.Command, []string) error

func (a *App) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// usageError is a mistake in the command line.
type usageError string

func (e usageError) Error() string { return string(e) }

// isTerminal reports whether w is a terminal, where a live progress line
// makes sense.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
