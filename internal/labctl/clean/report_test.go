package clean

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A dry run's last line says what --yes would do: run the planned actions,
// or nothing at all when everything is kept or could not be read (issue
// 23: "run again with --yes to do the planned actions" with nothing
// planned misleads).
func TestWriteTextLastLine(t *testing.T) {
	const where = "account 111122223333, us-west-2"
	tests := []struct {
		name    string
		dryRun  bool
		actions []Action
		want    string
	}{
		{"a dry run with planned actions", true, []Action{{Type: typeTrail, Name: "myTrail", Status: statusPlanned}},
			"dry run in " + where + ": nothing was removed; run again with --yes to do the planned actions"},
		{"a dry run in which everything is kept", true, []Action{
			{Type: typeTrail, Name: "myTrail", Status: statusKept, Action: actionKeep},
			{Type: typeBucket, Name: "mycloudtrailbucket1", Status: statusFailed, Action: actionNone}},
			"dry run in " + where + ": nothing was removed, and nothing is planned: --yes would remove nothing (each line says why)"},
		{"everything removed", false, []Action{{Type: typeTrail, Name: "myTrail", Status: statusDone}},
			"clean: nothing of the lab is left in " + where},
		{"a removal failed", false, []Action{{Type: typeTrail, Name: "myTrail", Status: statusFailed}, {Type: typeKey, Name: "k", Status: statusDone}},
			"left in " + where + ": trail myTrail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, (&Report{DryRun: tt.dryRun, Actions: tt.actions}).WriteText(&b, where))
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			assert.Equal(t, tt.want, lines[len(lines)-1])
		})
	}
}
