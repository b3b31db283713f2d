// Package status checks every lab account of a class, at most --parallel
// at a time (labctl verify in deployed mode, labctl check by hand), and
// writes one row per account as a table, Markdown, JSON or a gradebook
// CSV. The HTML page of the same result is class/page's.
package status

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/check"
	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/labctl/fanout"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
	"github.com/kms-lab/kms-lab/internal/labnames"
	"github.com/kms-lab/kms-lab/internal/report"
)

// groupColumns are deployed mode's columns: verify's check groups, named by
// the prefix of their checks.
var groupColumns = []Column{
	{ID: "key", Title: "KMS key"}, {ID: "bucket", Title: "trail bucket"},
	{ID: "trail", Title: "trail"}, {ID: "object", Title: "image"},
}

// Runner checks every account of a class.
type Runner struct {
	Class    *class.Class
	Mode     class.Mode
	Parallel int
	// Endpoint is --endpoint-url, for an emulator.
	Endpoint string
	// OutputsDir holds <stack>.json outputs files (deployed mode); "" asks
	// the Pulumi CLI for each stack's outputs.
	OutputsDir string
	// ProjectDir is where `pulumi stack output` runs.
	ProjectDir string
	// Roster names each stack's student; nil when none was given.
	Roster *class.Roster
	// Progress receives one line per account as it finishes, and the
	// accounts still waiting every WaitTick.
	Progress io.Writer
	WaitTick <-chan time.Time
	// Now is the clock.
	Now func() time.Time
	// AWS connects to an account, from labctl's Factory, so that tests
	// hand in theirs.
	AWS awsclient.Connector
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Columns are a mode's columns, without counts: by hand the lab's six
// tasks, deployed verify's four check groups.
func Columns(m class.Mode) []Column {
	if m != class.ByHand {
		return append([]Column(nil), groupColumns...)
	}
	var cols []Column
	for t := 1; t <= 6; t++ {
		cols = append(cols, Column{ID: "task" + strconv.Itoa(t), Title: fmt.Sprintf("%d %s", t, check.Title(t))})
	}
	return cols
}

// Run checks the accounts, at most Parallel at a time. An account that
// cannot be reached is a row with its error; the others are still checked.
func (r *Runner) Run(ctx context.Context) *Result {
	res := &Result{Class: r.Class.Name, Mode: r.Mode, GeneratedAt: r.now().UTC().Truncate(time.Second), Columns: Columns(r.Mode)}
	progress := fanout.NewProgress(r.Progress, len(r.Class.Stacks), nil)
	res.Accounts = fanout.Each(ctx, r.Class.Stacks, fanout.Options{Limit: r.Parallel, Progress: progress, Noun: "account", WaitTick: r.WaitTick},
		func(st classes.Stack) string { return r.Roster.Label(st.Name) },
		r.CheckAccount,
		func(st classes.Stack, row Row) string {
			return r.Roster.Label(st.Name) + " " + row.Account + ": " + row.Summary()
		})
	res.finish()
	return res
}

// Summary is an account's result in a few words, for progress lines:
// "4/6 pass", or "not checked: why".
func (row Row) Summary() string {
	if row.Error != "" {
		return "not checked: " + row.Error
	}
	pass := 0
	for _, c := range row.Cells {
		if c.Status == StatusPass {
			pass++
		}
	}
	return fmt.Sprintf("%d/%d pass", pass, len(row.Cells))
}

// CheckAccount reaches one account with its stack's credentials and runs
// verify or check there: Run does it for each account, class watch
// schedules the accounts itself.
func (r *Runner) CheckAccount(ctx context.Context, st classes.Stack) Row {
	row := Row{Stack: st.Name, Student: r.Roster.Student(st.Name), Account: st.Account, Region: st.Region, Cells: []Cell{}}
	fail := func(err error) Row {
		row.Error = awsclient.OneLine(err.Error())
		if awsclient.Classify(err).Transient() {
			// Throttled, a 5xx or a timeout: nothing is known of the account.
			row.Status = StatusUnknown
		}
		return row
	}
	var out *stackout.Outputs
	if r.Mode == class.Deployed {
		var err error
		if out, err = r.outputs(ctx, st); err != nil {
			return fail(err)
		}
		if out.Region != st.Region {
			return fail(fmt.Errorf("outputs say region %s, the stack file %s", out.Region, st.Region))
		}
	}
	clients, id, err := class.ReachStack(ctx, r.AWS, st, r.Endpoint)
	if err != nil {
		return fail(err)
	}
	row.Account = id.Account
	if r.Mode == class.Deployed {
		if err := id.CheckAccount(out.AccountID); err != nil {
			return fail(err)
		}
		obs := &account.Observer{Clients: clients, Identity: id, Now: r.Now}
		snap := obs.Observe(ctx, account.Request{Command: "verify", Names: verify.Names(out), Reads: verify.Reads()})
		rep := verify.Judge(snap, out, nil)
		row.Cells = groupCells(rep)
		row.unread = report.Count(rep.Checks)[report.Unknown] > 0
		return row
	}
	if st.Student == "" {
		return fail(fmt.Errorf("%s: kms-lab:keyUsers names no IAM user or role ARN: by-hand mode needs the student's ARN there", st.File))
	}
	opts := check.Options{Student: st.Student, Alias: labnames.GuideAlias, Trail: labnames.GuideTrail, BucketPrefix: labnames.GuideBucketPrefix}
	obs := &account.Observer{Clients: clients, Identity: id, Now: r.Now}
	snap := obs.Observe(ctx, account.Request{Command: "check", Names: opts.Names(st.Student), Reads: check.Reads()})
	now := time.Now()
	if r.Now != nil {
		now = r.Now()
	}
	rep := check.Grade(snap, opts, now)
	row.Cells = taskCells(rep)
	row.unread = rep.Outcome() == check.Unknown
	return row
}

// outputs reads a stack's outputs from OutputsDir or the Pulumi CLI.
func (r *Runner) outputs(ctx context.Context, st classes.Stack) (*stackout.Outputs, error) {
	if r.OutputsDir != "" {
		return stackout.Load(filepath.Join(r.OutputsDir, st.Name+".json"), nil)
	}
	cmd := exec.CommandContext(ctx, "pulumi", "stack", "output", "--json", "--stack", st.Name)
	cmd.Dir = r.ProjectDir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.Is(err, exec.ErrNotFound) {
			return nil, errors.New("the pulumi CLI is not on PATH: install it, or pass --outputs-dir with <stack>.json files")
		}
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("pulumi stack output --stack %s: %s", st.Name, strings.TrimSpace(stderr.String()))
		}
		return nil, fmt.Errorf("pulumi stack output --stack %s: %w", st.Name, err)
	}
	return stackout.Parse("pulumi stack output --stack "+st.Name, data)
}

// groupCells folds verify's checks into one cell per check group.
func groupCells(rep *verify.Report) []Cell {
	cells := make([]Cell, len(groupColumns))
	for i, col := range groupColumns {
		cells[i] = Cell{Column: col.ID, Status: StatusPass}
	}
	for _, c := range rep.Checks {
		group, _, _ := strings.Cut(c.Name, ".")
		for i := range cells {
			if cells[i].Column != group || c.Status == report.Pass {
				continue
			}
			detail := c.Observed
			if c.Expected != "" && c.Expected != c.Observed {
				detail += " (expected: " + c.Expected + ")"
			}
			f := Failure{Check: c.Name, Status: c.Status, Cause: c.Cause, Detail: detail, Hint: c.Hint}
			switch c.Status {
			case report.Fail:
				cells[i].Status = StatusFail
			case report.Unknown, report.Error:
				cells[i].Status = report.Worst(cells[i].Status, StatusUnknown)
				f.Status = StatusUnknown
			default:
				f.Status = report.Warn
			}
			cells[i].Add(f)
		}
	}
	return cells
}

// taskCells makes one cell per task of check's report.
func taskCells(rep *check.Report) []Cell {
	var cells []Cell
	for _, t := range rep.Tasks {
		c := Cell{Column: "task" + strconv.Itoa(t.Task), Status: Status(t.Status)}
		for _, it := range t.Checks {
			if it.Status == check.Pass {
				continue
			}
			// An unknown is marked like deployed mode's warn: the page
			// tells a check it could not grade from a mistake.
			c.Add(Failure{Check: it.Name, Status: it.Status, Cause: it.Cause, Detail: it.Detail, Hint: it.Hint})
		}
		cells = append(cells, c)
	}
	return cells
}
