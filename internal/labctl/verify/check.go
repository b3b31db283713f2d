// Package verify checks a deployed lab account against the stack's outputs:
// the KMS key and its policy, the trail bucket, the trail, and the
// encrypted image, including the anonymous GET that lab task 4 expects to
// fail.
package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// Status is a check's verdict.
type Status string

// The verdicts. Only StatusFail makes labctl verify exit non-zero.
const (
	StatusOK   Status = "ok"
	StatusFail Status = "fail"
	StatusWarn Status = "warn"
)

// Check is one line of the checklist.
type Check struct {
	Name     string `json:"name"`
	Status   Status `json:"status"`
	Expected string `json:"expected"`
	Observed string `json:"observed"`
	// Cause is the kind of API failure behind a failed check, KindOther
	// when the check failed on what AWS reported.
	Cause awsclient.Kind `json:"-"`
}

// Report is the whole checklist, in a fixed order.
type Report struct {
	Checks []Check `json:"checks"`
}

// Failed reports whether any check failed.
func (r *Report) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == StatusFail {
			return true
		}
	}
	return false
}

// compare makes a check that passes when observed equals expected.
func compare(name, expected, observed string) Check {
	st := StatusOK
	if expected != observed {
		st = StatusFail
	}
	return Check{Name: name, Status: st, Expected: expected, Observed: observed}
}

func failed(name, expected, observed string) Check {
	return Check{Name: name, Status: StatusFail, Expected: expected, Observed: observed}
}

// WriteText prints the checklist: status, name and what was observed, plus
// what was expected when they differ, and a summary line.
func WriteText(w io.Writer, r *Report) error {
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.Name))
	}
	counts := map[Status]int{}
	for _, c := range r.Checks {
		counts[c.Status]++
		line := fmt.Sprintf("%-4s  %-*s  %s", label(c.Status), width, c.Name, c.Observed)
		if c.Status != StatusOK && c.Expected != "" && c.Expected != c.Observed {
			line += " (expected: " + c.Expected + ")"
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%d checks: %d ok, %d FAIL, %d warn\n",
		len(r.Checks), counts[StatusOK], counts[StatusFail], counts[StatusWarn])
	return err
}

func label(s Status) string {
	if s == StatusFail {
		return "FAIL"
	}
	return string(s)
}

// WriteJSON prints {"checks": [...]} for machines.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

func onOff(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return "none"
	}
	return strings.Join(items, ", ")
}
