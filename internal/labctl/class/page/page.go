// Package page is the class page: one self-contained HTML file that draws
// itself from class status's result (labctl class status --format html),
// and the same page served live by labctl class watch. It groups the
// class's failures by cause, so that a mistake is explained once.
package page

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/class/status"
	"github.com/kms-lab/kms-lab/internal/report"
)

// Page is what the class page shows and what `labctl class watch` serves
// as /status.json: class status's JSON (the Result's fields), each account
// with its short name, its failures' cause keys and, in watch mode, when it
// was checked and when each task first passed, and the class's failures
// grouped by cause.
type Page struct {
	*status.Result
	Accounts []Account `json:"accounts"`
	// Causes are the failures grouped by cause, most accounts first.
	Causes []Cause `json:"causes"`
	// Watch is set by labctl class watch; nil in a page written once.
	Watch *WatchInfo `json:"watch,omitempty"`
}

// Account is a status.Row with what the page adds.
type Account struct {
	status.Row
	// Short is the stack's name without the prefix every stack of the
	// class shares ("acct01" for "kms101-acct01"): the tile's label.
	Short string `json:"short"`
	// Causes are the cause keys of the account's failures, sorted.
	Causes []string `json:"causes,omitempty"`
	// CheckedAt is when the row's result was taken (watch mode).
	CheckedAt *time.Time `json:"checkedAt,omitempty"`
	// Stale: the last sweep did not finish this account in time; the row
	// is the result of an earlier one.
	Stale bool `json:"stale,omitempty"`
	// FirstPassedAt is, per column, when the account first passed it.
	FirstPassedAt map[string]time.Time `json:"firstPassedAt,omitempty"`
	// ProgressAt is when the account's count of passing columns last
	// grew (or the first sweep): "no progress for N minutes" counts from it.
	ProgressAt *time.Time `json:"progressAt,omitempty"`
}

// Cause is one mistake, with every account that makes it.
type Cause struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Column string `json:"column"`
	Check  string `json:"check"`
	// Status is fail, or unknown for a check that could not be graded.
	Status string `json:"status"`
	Count  int    `json:"count"`
	// Stacks are the accounts' stacks, sorted.
	Stacks []string `json:"stacks"`
	// Hint is the first account's hint, written once.
	Hint string `json:"hint,omitempty"`
}

// WatchInfo is the watch loop's state, for the page's header.
type WatchInfo struct {
	// Every is the sweep interval in seconds; the page polls more often.
	Every int `json:"every"`
	// Sweeps counts the finished sweeps.
	Sweeps int `json:"sweeps"`
	// Running is the current sweep's progress, nil between sweeps.
	Running *SweepProgress `json:"running,omitempty"`
	// StaleAfter is how long one account may take before the sweep moves
	// on without it, in seconds.
	StaleAfter int `json:"staleAfter"`
}

// SweepProgress is a sweep under way.
type SweepProgress struct {
	Started time.Time `json:"started"`
	Done    int       `json:"done"`
	Of      int       `json:"of"`
}

// New groups r's failures by cause. The accounts keep r's order.
func New(r *status.Result) *Page {
	p := &Page{Result: r, Accounts: make([]Account, len(r.Accounts)), Causes: []Cause{}}
	stacks := make([]string, len(r.Accounts))
	for i, row := range r.Accounts {
		stacks[i] = row.Stack
	}
	prefix := sharedPrefix(stacks)
	byKey := map[string]*Cause{}
	for i, row := range r.Accounts {
		a := Account{Row: row, Short: strings.TrimPrefix(row.Stack, prefix)}
		seen := map[string]bool{}
		for _, c := range row.Cells {
			if c.Status == status.StatusPass {
				continue
			}
			for _, f := range c.Failures {
				if f.Status == report.Warn || (f.Status == status.StatusFail) != (c.Status == status.StatusFail) {
					// A warning, or an unknown check in a failing cell:
					// the cell's failures are its cause.
					continue
				}
				key := f.Cause
				if key == "" {
					key = f.Check
				}
				// A check that could not be graded is not the mistake of
				// an account where it failed: they are counted apart.
				group := string(f.Status) + " " + key
				cs := byKey[group]
				if cs == nil {
					cs = &Cause{Key: key, Label: causeLabel(key), Status: string(f.Status)}
					byKey[group] = cs
				}
				if cs.Check == "" || (cs.Check != causeCheck(key) && f.Check == causeCheck(key)) {
					// Said by the check whose finding the cause is, when
					// an account has it: another check that fails for
					// the same reason points to it.
					cs.Column, cs.Check, cs.Hint = c.Column, f.Check, f.Hint
				}
				if seen[group] {
					continue // one account, one count
				}
				seen[group] = true
				a.Causes = append(a.Causes, key)
				cs.Count++
				cs.Stacks = append(cs.Stacks, row.Stack)
			}
		}
		sort.Strings(a.Causes)
		a.Causes = slices.Compact(a.Causes)
		p.Accounts[i] = a
	}
	for _, c := range byKey {
		sort.Strings(c.Stacks)
		p.Causes = append(p.Causes, *c)
	}
	sort.Slice(p.Causes, func(i, j int) bool {
		a, b := p.Causes[i], p.Causes[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Status < b.Status
	})
	return p
}

// sharedPrefix is the longest prefix ending in '-', '_' or '.' that every
// name has and none is made of, "" for fewer than two names.
func sharedPrefix(names []string) string {
	if len(names) < 2 {
		return ""
	}
	p := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, p) {
			p = p[:len(p)-1]
		}
	}
	cut := strings.LastIndexAny(p, "-_.")
	if cut < 0 {
		return ""
	}
	return p[:cut+1]
}

// withoutDetails is p for the page written once: the cells' failures
// without their Details lines, which say the same in text and which the
// page does not read. 300 accounts cost their failures once, not twice.
func (p *Page) withoutDetails() *Page {
	q := *p
	q.Accounts = make([]Account, len(p.Accounts))
	for i, a := range p.Accounts {
		cells := make([]status.Cell, len(a.Cells))
		for j, c := range a.Cells {
			c.Details = nil
			cells[j] = c
		}
		a.Cells = cells
		q.Accounts[i] = a
	}
	return &q
}
