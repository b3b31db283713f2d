package cmdutil

import (
	"fmt"

	"github.com/kms-lab/kms-lab/internal/report"
)

// ChecksOutcome ends a command whose printed report is a list of checks
// (verify, preflight): ErrFailed when a check failed; exit code 2 when
// none failed but some could not be read (throttled, refused, 5xx,
// timeout), since those judged nothing and are to be retried; nil when
// every check passed or warned.
func ChecksOutcome(checks []report.Check) error {
	n := report.Count(checks)
	if n[report.Fail] > 0 {
		return ErrFailed
	}
	if u := n[report.Unknown]; u > 0 {
		return &ExitCodeError{Code: ExitError, Err: fmt.Errorf("%s could not be read; the report says why and when to retry", report.Plural(u, "check"))}
	}
	return nil
}
