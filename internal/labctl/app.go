// Package labctl is the labctl command: `preflight` checks a lab account
// before the first deploy, `verify` checks a deployed lab account against the
// stack's outputs, `events` finds the lab key's and image's activity in the
// trail's CloudTrail log files (lab tasks 4-6), `check` grades a lab done by
// hand, and `class status` runs verify or check over every account of a class.
package labctl

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
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
	if len(args) == 0 {
		a.usage(a.Stderr)
		return ExitError
	}
	var err error
	code := ExitOK
	switch args[0] {
	case "verify":
		code, err = a.verify(ctx, args[1:])
	case "events":
		code, err = a.events(ctx, args[1:])
	case "preflight":
		code, err = a.preflight(ctx, args[1:])
	case "check":
		code, err = a.check(ctx, args[1:])
	case "class":
		code, err = a.class(ctx, args[1:])
	case "help", "-h", "-help", "--help":
		return a.help(args[1:])
	default:
		err = usageError(fmt.Sprintf("unknown command %q: the commands are verify, events, check, class and preflight (see `labctl help`)", args[0]))
	}
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	if err != nil {
		fmt.Fprintln(a.Stderr, "labctl: "+oneLine(err.Error()))
		return ExitError
	}
	return code
}

func (a *App) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// usageError is a mistake in the command line.
type usageError string

func (e usageError) Error() string { return string(e) }

// oneLine keeps the promise of one line per error even if a message from a
// library spans several.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

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
