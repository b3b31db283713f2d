// Package shared holds what labctl snapshot, check --snapshot and verify
// --snapshot share, as gh's pr/shared does for the pr commands: the rule
// that a snapshot file is graded alone, and the line that says grading one
// is for support.
package shared

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

// Alone refuses, as a usage error naming each, the flags set beside
// --snapshot that only a live read uses: the file already says what was
// read, where and as whom.
func Alone(cmd *cobra.Command, liveOnly ...string) error {
	var set []string
	for _, name := range liveOnly {
		if cmd.Flags().Changed(name) {
			set = append(set, "--"+name)
		}
	}
	if len(set) == 0 {
		return nil
	}
	return cmdutil.FlagErrorf("--snapshot grades the file as it was taken, so %s cannot be given with it: drop %s",
		strings.Join(set, ", "), strings.Join(set, ", "))
}

// Notice is the one line an offline report begins with: whose snapshot it
// is, and that grading a file is for support, not marks.
func Notice(s *account.Snapshot) string {
	return fmt.Sprintf("graded offline from a snapshot of account %s, %s, taken by %s at %s: for support, not marks, since a file can be edited",
		s.Taken.Account, s.Taken.Region, s.Taken.By, s.Taken.At.UTC().Format(time.RFC3339))
}
