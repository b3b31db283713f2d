package cmdutil

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/report"
)

// Issue 17: a check AWS did not answer (unknown) is never a pass, and
// never a fail: the command exits 2 and says to retry. A warn does not
// fail the run (docs/labctl.md's exit codes).
func TestChecksOutcome(t *testing.T) {
	tests := []struct {
		name     string
		statuses []report.Status
		code     int
		message  string
	}{
		{"all pass", []report.Status{report.Pass, report.Pass}, ExitOK, ""},
		{"a warn", []report.Status{report.Pass, report.Warn}, ExitOK, ""},
		{"a fail", []report.Status{report.Pass, report.Fail, report.Unknown}, ExitFailed, ""},
		{"one unknown", []report.Status{report.Pass, report.Unknown}, ExitError, "1 check could not be read; the report says why and when to retry"},
		{"two unknown", []report.Status{report.Unknown, report.Warn, report.Unknown}, ExitError, "2 checks could not be read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var checks []report.Check
			for _, s := range tt.statuses {
				checks = append(checks, report.Check{Name: "c", Status: s})
			}
			err := ChecksOutcome(checks)
			code, printed := ExitCode(err)
			assert.Equal(t, tt.code, code)
			if tt.message != "" {
				assert.True(t, printed)
				assert.Contains(t, err.Error(), tt.message)
			}
		})
	}
}

// Issue 21: each outcome, in the report vocabulary, has its exit code in
// one place, as docs/labctl.md documents them: 0 ok (pass, warn); 1 a
// failing check, task, account or removal; 2 usage, an AWS error, or a
// read that could not be done (unknown); 3 events skipped unreadable log
// files. A FlagError is a usage error, exit 2.
func TestExitCodes(t *testing.T) {
	why := errors.New("2 checks could not be read")
	tests := []struct {
		name    string
		err     error
		code    int
		printed bool
	}{
		{"nothing", nil, 0, false},
		{"passed", Finish(Passed, nil), 0, false},
		{"warned", Finish(Warned, nil), 0, false},
		{"failed", Finish(Failed, nil), 1, false},
		{"unknown, silent", Finish(Unknown, nil), 2, false},
		{"unknown, with why", Finish(Unknown, why), 2, true},
		{"errored", Finish(Errored, nil), 2, false},
		{"skipped", Finish(Skipped, nil), 3, false},
		{"usage", FlagErrorf("--parallel 0: use 1 to 64"), 2, true},
		{"any other error", errors.New("cannot reach AWS"), 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, printed := ExitCode(tt.err)
			assert.Equal(t, tt.code, code)
			assert.Equal(t, tt.printed, printed)
		})
	}
	assert.Same(t, ErrFailed, Finish(Failed, nil), "the one silent failure")
}
