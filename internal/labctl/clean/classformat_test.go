package clean

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// class clean's table names, per account, the resources behind its result
// (issue 23: "would remove 4" with an empty DETAIL told the instructor
// nothing), and its last line points to --format json for their details.
func TestWriteClassTable(t *testing.T) {
	lab := []Action{
		{Type: typeTrail, Name: "myTrail", Action: actionDelete, Status: statusPlanned},
		{Type: typeBucket, Name: "mycloudtrailbucket1", Action: actionEmptyAndDelete, Status: statusPlanned},
		{Type: typeAlias, Name: "alias/myFirstKey", Action: actionDelete, Status: statusPlanned},
		{Type: typeKey, Name: "k1", Action: actionKeep, Status: statusKept, Detail: "alias/shared also points to it"},
	}
	kept := []Action{{Type: typeTrail, Name: "myTrail", Action: actionKeep, Status: statusKept, Detail: "an organization trail"}}
	tests := []struct {
		name     string
		accounts []AccountResult
		want     []string // the rows' RESULT and DETAIL, then the last line
	}{
		{"a dry run with planned actions", []AccountResult{{Stack: "s01", Status: accountPlanned, Actions: lab}}, []string{
			"would remove 3  would remove trail myTrail, bucket mycloudtrailbucket1, alias alias/myFirstKey; key k1: alias/shared also points to it",
			"dry run: nothing was removed; run again with --yes to do the planned actions (each resource's details: --format json)"}},
		{"a dry run in which everything is kept", []AccountResult{{Stack: "s01", Status: accountClean, Actions: kept}}, []string{
			"clean: nothing to remove  trail myTrail: an organization trail",
			"dry run: nothing was removed, and nothing is planned: --yes would remove nothing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, WriteClass(&b, &ClassReport{Class: "kms101", DryRun: true, Accounts: tt.accounts}, "table"))
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			require.Len(t, lines, 2+len(tt.accounts), b.String())
			row := strings.Join(strings.Fields(lines[1])[1:], " ")
			assert.Equal(t, strings.Join(strings.Fields(tt.want[0]), " "), row)
			assert.Equal(t, tt.want[1], lines[len(lines)-1])
		})
	}
}
