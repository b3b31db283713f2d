package status

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
)

// Issue 17: an account that AWS throttled is unknown, not error and not
// fail; a read that did not answer is never a student's mistake.
func TestFinishAndOutcome(t *testing.T) {
	tests := []struct {
		name        string
		row         Row
		wantStatus  Status
		wantOutcome Status // the command maps it to the exit code
		wantCell    string // the table's mark for the account's cells
	}{
		{"all pass", Row{Stack: "a", Cells: []Cell{{Column: "key", Status: StatusPass}}}, StatusPass, StatusPass, "pass"},
		{"an unknown cell", Row{Stack: "a", Cells: []Cell{{Column: "key", Status: StatusUnknown}}}, StatusUnknown, StatusFail, "unknown"},
		// Reached, but a check's read was throttled or refused: retried
		// like an unreachable account (exit 2), never graded.
		{"an unknown cell whose read failed", Row{Stack: "a", Cells: []Cell{{Column: "key", Status: StatusUnknown}}, unread: true}, StatusUnknown, StatusUnknown, "unknown"},
		{"a failed cell", Row{Stack: "a", Cells: []Cell{{Column: "key", Status: StatusFail}}}, StatusFail, StatusFail, "fail"},
		{"throttled before any check", Row{Stack: "a", Status: StatusUnknown, Error: "AWS throttled this read of the caller's identity; retry in a minute", Cells: []Cell{}},
			StatusUnknown, StatusUnknown, "unknown"},
		{"not reached", Row{Stack: "a", Error: "no AWS credentials found", Cells: []Cell{}}, StatusError, StatusError, "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Result{Class: "kms101", Mode: class.Deployed, Columns: []Column{{ID: "key", Title: "KMS key"}}, Accounts: []Row{tt.row}}
			r.finish()
			assert.Equal(t, tt.wantStatus, r.Accounts[0].Status)
			assert.Equal(t, tt.wantOutcome, r.Outcome())
			var b bytes.Buffer
			require.NoError(t, Write(&b, r, "table"))
			lines := strings.Split(b.String(), "\n")
			assert.Equal(t, []string{"a", "-", tt.wantCell}, strings.Fields(lines[2]))
		})
	}
}

// TestFailureLine: a cell's details keep the form docs/report.md gives
// them, "name: detail" with "warn " or "unknown " in front of what is not
// a failure and the hint after a failure's detail, and every failure has
// a cause, its check's name when none was given.
func TestFailureLine(t *testing.T) {
	tests := []struct {
		name      string
		f         Failure
		wantLine  string
		wantCause string
	}{
		{"a failure with a hint", Failure{Check: "trail.logging", Status: StatusFail, Detail: "not logging", Hint: "start logging on the trail"},
			"trail.logging: not logging. Hint: start logging on the trail", "trail.logging"},
		{"not graded", Failure{Check: "logs.key-activity", Status: StatusUnknown, Detail: "no log file delivered yet"},
			"unknown logs.key-activity: no log file delivered yet", "logs.key-activity"},
		{"a warning", Failure{Check: "object.encryption", Status: "warn", Detail: "aws:kms, S3 Bucket Key on"},
			"warn object.encryption: aws:kms, S3 Bucket Key on", "object.encryption"},
		{"a cause of its own", Failure{Check: "object.encryption", Status: StatusFail, Cause: "object.encryption=sse-s3", Detail: "AES256"},
			"object.encryption: AES256", "object.encryption=sse-s3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Cell
			c.Add(tt.f)
			assert.Equal(t, []string{tt.wantLine}, c.Details)
			require.Len(t, c.Failures, 1)
			assert.Equal(t, tt.wantCause, c.Failures[0].Cause)
		})
	}
}
