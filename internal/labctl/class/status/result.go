package status

import (
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/report"
)

// Status is a cell's or an account's grade, in report's vocabulary.
type Status = report.Status

// The grades. StatusError is an account that could not be checked at all
// (no credentials, the wrong account); an account that AWS throttled is
// StatusUnknown, with the error that says so.
const (
	StatusPass    = report.Pass
	StatusFail    = report.Fail
	StatusUnknown = report.Unknown
	StatusError   = report.Error
)

// Result is a class's status: one row per lab account, sorted by stack.
type Result struct {
	Class       string     `json:"class"`
	Mode        class.Mode `json:"mode"`
	GeneratedAt time.Time  `json:"generatedAt"`
	Columns     []Column   `json:"columns"`
	Accounts    []Row      `json:"accounts"`
}

// Column is a task (by-hand) or a check group (deployed), with the class's
// counts.
type Column struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Pass    int    `json:"pass"`
	Fail    int    `json:"fail"`
	Unknown int    `json:"unknown"`
}

// Row is one lab account.
type Row struct {
	Stack string `json:"stack"`
	// Student is who the roster names for the stack; nil without one.
	Student *class.Student `json:"student,omitempty"`
	Account string         `json:"account"`
	Region  string         `json:"region"`
	Status  Status         `json:"status"`
	// Error says why the account could not be checked; Cells is then empty.
	Error string `json:"error,omitempty"`
	Cells []Cell `json:"cells"`
	// unread marks an account whose checks could not all be read
	// (throttled, denied, 5xx): like an unreachable one, it is retried,
	// not graded, so the class exits 2.
	unread bool
}

// Cell is one task or check group of one account.
type Cell struct {
	Column string `json:"column"`
	Status Status `json:"status"`
	// Details are the checks that do not pass, for a reader: each
	// Failure's line.
	Details []string `json:"details,omitempty"`
	// Failures are the same checks as data: what the page groups by cause.
	Failures []Failure `json:"failures,omitempty"`
}

// Failure is one check of a cell that does not pass.
type Failure struct {
	Check string `json:"check"`
	// Status is fail, unknown, or warn (deployed mode: seen, acceptable).
	Status Status `json:"status"`
	// Cause is the stable key of why it does not pass (report.Check's
	// Cause), never empty: the check's name unless the value seen decides
	// the fix ("object.encryption=sse-s3"), or another check's cause when
	// that check's finding is the reason ("bucket.public-access-block" for
	// an anonymous GET it refuses).
	Cause  string `json:"cause"`
	Detail string `json:"detail"`
	// Hint is the fix (by-hand mode, failures only).
	Hint string `json:"hint,omitempty"`
}

// line is the failure as Details and the text formats print it:
// "[unknown |warn ]check: detail[. Hint: hint]".
func (f Failure) line() string {
	s := f.Check + ": " + f.Detail
	if f.Status != StatusFail {
		s = string(f.Status) + " " + s
	}
	if f.Hint != "" {
		s += ". Hint: " + f.Hint
	}
	return s
}

// Add records a failure in the cell, as data and as a line.
func (c *Cell) Add(f Failure) {
	if f.Cause == "" {
		f.Cause = f.Check
	}
	c.Failures = append(c.Failures, f)
	c.Details = append(c.Details, f.line())
}

// Complete counts the accounts whose every cell passes.
func (r *Result) Complete() int {
	n := 0
	for _, row := range r.Accounts {
		if row.Status == StatusPass {
			n++
		}
	}
	return n
}

// Tally computes the rows' statuses and the columns' counts, as Run does
// after a sweep; for a Result built by other means (class watch's sweeps, a
// test). Call it once.
func (r *Result) Tally() { r.finish() }

// finish computes the rows' statuses and the columns' counts.
func (r *Result) finish() {
	for i := range r.Accounts {
		row := &r.Accounts[i]
		if row.Error != "" {
			if row.Status != StatusUnknown {
				row.Status = StatusError
			}
			continue
		}
		row.Status = StatusPass
		for _, c := range row.Cells {
			switch {
			case c.Status == StatusFail:
				row.Status = StatusFail
			case c.Status == StatusUnknown && row.Status == StatusPass:
				row.Status = StatusUnknown
			}
		}
	}
	for ci := range r.Columns {
		col := &r.Columns[ci]
		for _, row := range r.Accounts {
			for _, c := range row.Cells {
				if c.Column != col.ID {
					continue
				}
				switch c.Status {
				case StatusPass:
					col.Pass++
				case StatusFail:
					col.Fail++
				default:
					col.Unknown++
				}
			}
		}
	}
}

// Outcome is the class's status as a whole, in report's vocabulary; the
// command layer turns it into the exit code. It is Error when an account
// could not be reached; else Unknown when one was reached but could not be
// checked (throttled before any check, or a read of its checks refused or
// throttled); else Fail when a cell is not a pass (failed, or not fully
// graded yet); else Pass. The other accounts are reported either way.
func (r *Result) Outcome() Status {
	out := StatusPass
	for _, row := range r.Accounts {
		switch {
		case row.Status == StatusError:
			return StatusError
		case row.Error != "" || row.unread:
			out = StatusUnknown
		case (row.Status == StatusFail || row.Status == StatusUnknown) && out == StatusPass:
			out = StatusFail
		}
	}
	return out
}
