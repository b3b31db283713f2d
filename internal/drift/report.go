package drift

import (
	"fmt"
	"sort"
	"strings"
)

// Statuses of a stack.
const (
	InSync      = "in sync"
	Drifted     = "drifted"
	Unreachable = "unreachable"
)

// Run is what one drift job recorded for its stack.
type Run struct {
	Class   string
	Stack   string
	Account string
	Region  string
	// ExitCode of `pulumi preview --refresh --expect-no-changes --json`:
	// 0 no changes; non-zero for changes and for failures alike, so the
	// JSON decides which.
	ExitCode int
	Preview  []byte // its stdout
	Stderr   string // its stderr, for a preview that printed nothing
	// Error, when set, is why the job did not get as far as the preview
	// (credentials, state backend, a missing stack).
	Error string
}

// StackReport is one row of the report.
type StackReport struct {
	Class   string   `json:"class"`
	Stack   string   `json:"stack"`
	Account string   `json:"account"`
	Region  string   `json:"region"`
	Status  string   `json:"status"`
	Reason  string   `json:"reason,omitempty"` // why a stack is unreachable
	Changes []Change `json:"changes,omitempty"`
}

// Analyze classifies one stack's run.
func Analyze(r Run) StackReport {
	rep := StackReport{Class: r.Class, Stack: r.Stack, Account: r.Account, Region: r.Region}
	if r.Error != "" {
		rep.Status, rep.Reason = Unreachable, r.Error
		return rep
	}
	d, err := parseDigest(r.Preview)
	if err != nil {
		rep.Status, rep.Reason = Unreachable, firstLine(r.Stderr, err.Error())
		return rep
	}
	// An error diagnostic means the preview stopped (AccessDenied on the
	// refresh, a failed role assumption): what it got to is incomplete.
	if msg := errorDiagnostic(d); msg != "" {
		rep.Status, rep.Reason = Unreachable, msg
		return rep
	}
	rep.Changes = changes(d)
	switch {
	case len(rep.Changes) > 0:
		rep.Status = Drifted
	case r.ExitCode != 0:
		// --expect-no-changes failed, but on nothing this report can name.
		rep.Status, rep.Reason = Unreachable, firstLine(r.Stderr, fmt.Sprintf("the preview exited %d without naming a change", r.ExitCode))
	default:
		rep.Status = InSync
	}
	return rep
}

func errorDiagnostic(d digest) string {
	for _, diag := range d.Diagnostics {
		if diag.Severity == "error" {
			return firstLine(diag.Message, "error")
		}
	}
	return ""
}

// firstLine is the first three non-empty lines of text on one line (an
// AWS error names the failing call and the denied action on its later
// lines), at most 600 characters, or fallback.
func firstLine(text, fallback string) string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" && len(lines) < 3 {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return fallback
	}
	s := strings.Join(lines, " ")
	if len(s) > 600 {
		s = s[:597] + "..."
	}
	return s
}

// Report is the whole class (or classes) of one drift run.
type Report struct {
	Stacks      []StackReport `json:"stacks"`
	InSync      int           `json:"inSync"`
	Drifted     int           `json:"drifted"`
	Unreachable int           `json:"unreachable"`
}

// NewReport sorts the rows by class and stack and counts them.
func NewReport(stacks []StackReport) Report {
	sorted := append([]StackReport(nil), stacks...)
	sort.Slice(sorted, func(i, j int) bool {
		if sorted[i].Class != sorted[j].Class {
			return sorted[i].Class < sorted[j].Class
		}
		return sorted[i].Stack < sorted[j].Stack
	})
	r := Report{Stacks: sorted}
	for _, s := range sorted {
		switch s.Status {
		case InSync:
			r.InSync++
		case Drifted:
			r.Drifted++
		default:
			r.Unreachable++
		}
	}
	return r
}
