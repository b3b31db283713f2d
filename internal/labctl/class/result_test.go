package class

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 17: an account that AWS throttled is unknown, not error and not
// fail; a read that did not answer is never a student's mistake.
func TestFinishAndExitCode(t *testing.T) {
	tests := []struct {
		name       string
		row        Row
		wantStatus Status
		wantExit   int
		wantCell   string // the table's mark for the account's cells
	}{
		{"all pass", Row{Stack: "a", Cells: []Cell{{Column: "key", Status: StatusPass}}}, StatusPass, ExitPass, "pass"},
		{"an unknown cell", Row{Stack: "a", Cells: []Cell{{Column: "key", Status: StatusUnknown}}}, StatusUnknown, ExitFail, "unknown"},
		{"a failed cell", Row{Stack: "a", Cells: []Cell{{Column: "key", Status: StatusFail}}}, StatusFail, ExitFail, "fail"},
		{"throttled before any check", Row{Stack: "a", Status: StatusUnknown, Error: "AWS throttled this read of the caller's identity; retry in a minute", Cells: []Cell{}},
			StatusUnknown, ExitReach, "unknown"},
		{"not reached", Row{Stack: "a", Error: "no AWS credentials found", Cells: []Cell{}}, StatusError, ExitReach, "error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Result{Class: "kms101", Mode: Deployed, Columns: []Column{{ID: "key", Title: "KMS key"}}, Accounts: []Row{tt.row}}
			r.finish()
			assert.Equal(t, tt.wantStatus, r.Accounts[0].Status)
			assert.Equal(t, tt.wantExit, r.ExitCode())
			var b bytes.Buffer
			require.NoError(t, Write(&b, r, "table"))
			lines := strings.Split(b.String(), "\n")
			assert.Equal(t, []string{"a", "-", tt.wantCell}, strings.Fields(lines[2]))
		})
	}
}
