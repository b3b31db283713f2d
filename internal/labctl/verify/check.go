// Package verify checks a deployed lab account against the stack's outputs:
// the KMS key and its policy, the trail bucket, the trail, and the
// encrypted image, including the anonymous GET that lab task 4 expects to
// fail.
package verify

import (
	"io"
	"strings"

	"github.com/kms-lab/kms-lab/internal/report"
)

// Check is one line of the checklist: Name, Status, Expected and Observed.
// Only report.Fail makes labctl verify exit 1; a check whose read failed
// (throttled, denied, a 5xx, a timeout) is report.Unknown, exit 2.
type Check = report.Check

// Report is the whole checklist, in a fixed order: {"checks": [...]}.
type Report = report.Checks

// compare makes a check that passes when observed equals expected.
func compare(name, expected, observed string) Check {
	st := report.Pass
	if expected != observed {
		st = report.Fail
	}
	return Check{Name: name, Status: st, Expected: expected, Observed: observed}
}

func failed(name, expected, observed string) Check {
	return Check{Name: name, Status: report.Fail, Expected: expected, Observed: observed}
}

// WriteText prints the checklist: status, name and what was observed, plus
// what was expected when they differ, and a summary line.
func WriteText(w io.Writer, r *Report) error { return report.WriteChecks(w, r.Checks) }

// WriteJSON prints {"checks": [...]} for machines.
func WriteJSON(w io.Writer, r *Report) error { return report.WriteJSON(w, r) }

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
