package clean

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/labctl/fanout"
)

// ClassRunner cleans every lab account of a class.
type ClassRunner struct {
	Class    *class.Class
	Connect  awsclient.Connector
	Options  Options
	Parallel int
	// Endpoint is --endpoint-url, for an emulator.
	Endpoint string
	// Progress receives a line per account as it finishes, and each
	// account's bucket progress; the accounts still waiting every WaitTick.
	Progress io.Writer
	WaitTick <-chan time.Time
	// Roster names each stack's student, in progress lines and in each
	// account's row; nil when none was given.
	Roster *class.Roster
	Now    func() time.Time
}

// AccountResult is one account's row.
type AccountResult struct {
	Stack string `json:"stack"`
	// Student is who the roster names for the stack; nil without one.
	Student *class.Student `json:"student,omitempty"`
	Account string         `json:"account"`
	Region  string         `json:"region"`
	Status  string         `json:"status"`
	Error   string         `json:"error,omitempty"`
	Actions []Action       `json:"actions"`

	outcome Outcome
}

// Account statuses.
const (
	accountClean       = "clean"       // nothing of the lab is left
	accountPlanned     = "planned"     // dry run: the actions would run
	accountLeft        = "left"        // something is left; actions say what
	accountUnreachable = "unreachable" // not cleaned: error says why
)

// ClassReport is one row per account, in the class's stack order.
type ClassReport struct {
	Class    string          `json:"class"`
	DryRun   bool            `json:"dryRun"`
	Accounts []AccountResult `json:"accounts"`
}

// Run cleans the accounts, at most Parallel at a time. An account that
// cannot be reached is a row with its error; the others are still cleaned.
func (r *ClassRunner) Run(ctx context.Context) *ClassReport {
	label := r.Roster.Label
	p := fanout.NewProgress(r.Progress, len(r.Class.Stacks), nil)
	// The accounts' bucket lines go through the fan-out's lock, so that
	// no line cuts into another.
	progress := &lockedWriter{w: p.Writer(), mu: &sync.Mutex{}}
	accounts := fanout.Each(ctx, r.Class.Stacks, fanout.Options{Limit: r.Parallel, Progress: p, Noun: "account", WaitTick: r.WaitTick},
		func(st classes.Stack) string { return label(st.Name) },
		func(ctx context.Context, st classes.Stack) AccountResult { return r.account(ctx, st, progress) },
		func(st classes.Stack, row AccountResult) string {
			return label(st.Name) + " " + row.Account + ": " + rowSummary(row)
		})
	return &ClassReport{Class: r.Class.Name, DryRun: !r.Options.Yes, Accounts: accounts}
}

func (r *ClassRunner) account(ctx context.Context, st classes.Stack, progress *lockedWriter) AccountResult {
	row := AccountResult{Stack: st.Name, Student: r.Roster.Student(st.Name), Account: st.Account, Region: st.Region, Actions: []Action{}}
	fail := func(err error) AccountResult {
		row.Status, row.Error, row.outcome = accountUnreachable, awsclient.OneLine(err.Error()), Denied
		return row
	}
	clients, id, err := class.ReachStack(ctx, r.Connect, st, r.Endpoint)
	if err != nil {
		return fail(err)
	}
	row.Account = id.Account
	c := &Cleaner{Clients: clients, Identity: id, Options: r.Options, Now: r.Now, Progress: progress.prefixed(st.Name + ": ")}
	rep, err := c.Run(ctx)
	if err != nil {
		return fail(err)
	}
	row.Actions = append(row.Actions, rep.Actions...)
	row.outcome = rep.Outcome()
	switch {
	case row.outcome == Denied, row.outcome == Left:
		row.Status = accountLeft
	case rep.DryRun && planned(rep.Actions) > 0:
		row.Status = accountPlanned
	default:
		row.Status = accountClean
	}
	return row
}

func planned(actions []Action) int {
	n := 0
	for _, a := range actions {
		if a.Status == statusPlanned {
			n++
		}
	}
	return n
}

// Outcome is the class's: Denied when an account could not be reached or
// read, else Left when something is left in one, else Clean.
func (r *ClassReport) Outcome() Outcome {
	out := Clean
	for _, a := range r.Accounts {
		out = max(out, a.outcome)
	}
	return out
}

// lockedWriter serializes the accounts' progress lines.
type lockedWriter struct {
	w      io.Writer
	mu     *sync.Mutex
	prefix string
}

func (l *lockedWriter) prefixed(p string) io.Writer {
	if l.w == nil {
		return nil
	}
	return &lockedWriter{w: l.w, mu: l.mu, prefix: p}
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	// One write, prefix and line: the fan-out's own lines take its lock
	// between two writes, never inside one.
	if _, err := l.w.Write(append([]byte(l.prefix), p...)); err != nil {
		return 0, err
	}
	return len(p), nil
}
