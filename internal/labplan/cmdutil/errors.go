package cmdutil

import (
	"errors"
	"fmt"
)

// Exit codes, documented in docs/labplan.md; ExitCode maps errors to them.
const (
	exitOK    = 0
	exitWrite = 1 // the result was made but could not be written to stdout
	exitError = 2 // usage, an invalid stack file, or a plan that could not be made
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

// WriteError is a failure to write a finished result.
type WriteError struct{ Err error }

func (e *WriteError) Error() string { return "write output: " + e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// ExitCode is the one place an error becomes an exit code.
func ExitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var w *WriteError
	if errors.As(err, &w) {
		return exitWrite
	}
	return exitError
}
