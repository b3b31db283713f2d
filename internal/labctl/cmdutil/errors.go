package cmdutil

import (
	"errors"
	"fmt"

	"github.com/kms-lab/kms-lab/internal/labctl/option"
)

// Exit codes, the same for every command; ExitCode maps errors to them.
const (
	ExitOK      = 0 // everything checked out, or nothing was left to do
	ExitFailed  = 1 // a check, task, account or removal failed; the report says which
	ExitError   = 2 // usage, config, or an AWS error that stopped the command
	ExitSkipped = 3 // events: results printed, but some log files could not be read
)

// FlagError is a mistake in the command line: exit code 2, and the message
// names the flag or argument, its value and the rule.
type FlagError struct{ err error }

func (e *FlagError) Error() string { return e.err.Error() }
func (e *FlagError) Unwrap() error { return e.err }

// FlagErrorf formats a FlagError.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{err: fmt.Errorf(format, args...)}
}

// FlagErrorWrap makes err a FlagError (cobra's own flag parse errors).
func FlagErrorWrap(err error) error { return &FlagError{err: err} }

// FlagText words err in the command line's terms: the option problems a
// domain package reports name the flags of the same names
// (--alias "x": rule); any other error is its message.
func FlagText(err error) string {
	var p option.Problems
	if errors.As(err, &p) {
		return p.Join(func(pr option.Problem) string { return "--" + pr.Name })
	}
	return err.Error()
}

// ErrFailed is the silent "the report shows a failure" ending: exit code 1.
var ErrFailed = &OutcomeError{Outcome: Failed}

// ExitCode is the one place an error becomes an exit code, and says whether
// the error has a message to print.
func ExitCode(err error) (code int, printMessage bool) {
	if err == nil {
		return ExitOK, false
	}
	var outcome *OutcomeError
	if errors.As(err, &outcome) {
		code, known := outcomeCodes[outcome.Outcome]
		if !known {
			code = ExitError
		}
		return code, outcome.Err != nil
	}
	return ExitError, true
}
