package cmdutil

import (
	"fmt"

	"github.com/kms-lab/kms-lab/internal/report"
)

// Outcome is what a finished command's report says overall, in the report
// vocabulary (docs/report.md), plus events' skipped files. A command ends
// with Finish(outcome); ExitCode maps it to the exit code, here and
// nowhere else.
type Outcome string

// The outcomes.
const (
	// Passed: everything checked out, or nothing was left to do.
	Passed Outcome = Outcome(report.Pass)
	// Warned: something deserves a look, nothing failed; exit code 0.
	Warned Outcome = Outcome(report.Warn)
	// Failed: a check, task, account or removal failed, or is not done
	// yet; the report says which.
	Failed Outcome = Outcome(report.Fail)
	// Unknown: something could not be read (denied, throttled, 5xx,
	// timeout), so the report judged it not; retry.
	Unknown Outcome = Outcome(report.Unknown)
	// Errored: the command stopped on an error.
	Errored Outcome = Outcome(report.Error)
	// Skipped: events printed its results, but some log files could not
	// be read.
	Skipped Outcome = "skipped"
)

// outcomeCodes is the one mapping from outcomes to exit codes.
var outcomeCodes = map[Outcome]int{
	Passed:  ExitOK,
	Warned:  ExitOK,
	Failed:  ExitFailed,
	Unknown: ExitError,
	Errored: ExitError,
	Skipped: ExitSkipped,
}

// OutcomeError ends a command whose report was printed with its outcome.
// Err, when set, is printed as one line on stderr; a nil Err prints
// nothing, since the report already said what is wrong.
type OutcomeError struct {
	Outcome Outcome
	Err     error
}

func (e *OutcomeError) Error() string {
	if e.Err == nil {
		return "outcome " + string(e.Outcome)
	}
	return e.Err.Error()
}
func (e *OutcomeError) Unwrap() error { return e.Err }

// Finish ends a command with its report's outcome: nil when it passed or
// warned, else an OutcomeError; why, when not nil, is printed on stderr.
func Finish(o Outcome, why error) error {
	switch {
	case outcomeCodes[o] == ExitOK && o != "":
		return nil
	case o == Failed && why == nil:
		return ErrFailed
	}
	return &OutcomeError{Outcome: o, Err: why}
}

// ChecksOutcome ends a command whose printed report is a list of checks
// (verify, preflight): failed when a check failed; unknown, with a line
// saying to retry, when none failed but some could not be read (throttled,
// refused, 5xx, timeout), since those judged nothing; nil when every check
// passed or warned.
func ChecksOutcome(checks []report.Check) error {
	n := report.Count(checks)
	if n[report.Fail] > 0 {
		return Finish(Failed, nil)
	}
	if u := n[report.Unknown]; u > 0 {
		return Finish(Unknown, fmt.Errorf("%s could not be read; the report says why and when to retry", report.Plural(u, "check")))
	}
	return nil
}
