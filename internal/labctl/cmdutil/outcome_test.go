package cmdutil

import (
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
