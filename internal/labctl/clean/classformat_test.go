package clean

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
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

// rosterCSV is docs/classes.md's example roster: a name that holds a comma
// (quoted, RFC 4180) and one with non-ASCII letters. It has no line for
// kms101-acct03.
const rosterCSV = "stack,name,email,id\n" +
	"kms101-acct01,\"Okafor, Ada\",ada@example.edu,s1001\n" +
	"kms101-acct02,Zoë Ångström,zoe@example.edu,s1002\n"

// classWithRoster is a dry run over three accounts, each row naming its
// student as ClassRunner does: from roster, nil for none.
func classWithRoster(t *testing.T, roster *class.Roster) *ClassReport {
	t.Helper()
	alias := []Action{{Type: typeAlias, Name: "alias/myFirstKey", Action: actionDelete, Status: statusPlanned}}
	rows := []AccountResult{
		{Stack: "kms101-acct01", Account: "111122223333", Region: "us-west-2", Status: accountPlanned, Actions: alias},
		{Stack: "kms101-acct02", Account: "444455556666", Region: "us-west-2", Status: accountClean, Actions: []Action{}},
		{Stack: "kms101-acct03", Account: "777788889999", Region: "us-west-2", Status: accountClean, Actions: []Action{}},
	}
	for i := range rows {
		rows[i].Student = roster.Student(rows[i].Stack)
	}
	return &ClassReport{Class: "kms101", DryRun: true, Accounts: rows}
}

// Issue 22, "A roster": with --roster, names appear wherever the stack
// does. class clean's table and markdown then have a student column, worded
// as class status's (STUDENT, "-" for a stack the roster does not name);
// without a roster there is no such column.
func TestWriteClassStudentColumn(t *testing.T) {
	roster, err := class.ParseRoster("kms101.csv", []byte(rosterCSV))
	require.NoError(t, err)
	tests := []struct {
		name   string
		roster *class.Roster
		format string
		want   []string // the report's first lines, trailing blanks trimmed
	}{
		{"table with a roster", roster, "table", []string{
			"STACK          STUDENT       ACCOUNT       REGION     RESULT                    DETAIL",
			"kms101-acct01  Okafor, Ada   111122223333  us-west-2  would remove 1            would remove alias alias/myFirstKey",
			"kms101-acct02  Zoë Ångström  444455556666  us-west-2  clean: nothing to remove",
			"kms101-acct03  -             777788889999  us-west-2  clean: nothing to remove",
		}},
		{"table without a roster", nil, "table", []string{
			"STACK          ACCOUNT       REGION     RESULT                    DETAIL",
			"kms101-acct01  111122223333  us-west-2  would remove 1            would remove alias alias/myFirstKey",
			"kms101-acct02  444455556666  us-west-2  clean: nothing to remove",
			"kms101-acct03  777788889999  us-west-2  clean: nothing to remove",
		}},
		{"markdown with a roster", roster, "markdown", []string{
			"## labctl class clean: kms101 (dry run, nothing removed)",
			"",
			"| stack | student | account | region | result | detail |",
			"|---|---|---|---|---|---|",
			"| kms101-acct01 | Okafor, Ada | 111122223333 | us-west-2 | would remove 1 | would remove alias alias/myFirstKey |",
			"| kms101-acct02 | Zoë Ångström | 444455556666 | us-west-2 | clean: nothing to remove |  |",
			"| kms101-acct03 | - | 777788889999 | us-west-2 | clean: nothing to remove |  |",
		}},
		{"markdown without a roster", nil, "markdown", []string{
			"## labctl class clean: kms101 (dry run, nothing removed)",
			"",
			"| stack | account | region | result | detail |",
			"|---|---|---|---|---|",
			"| kms101-acct01 | 111122223333 | us-west-2 | would remove 1 | would remove alias alias/myFirstKey |",
			"| kms101-acct02 | 444455556666 | us-west-2 | clean: nothing to remove |  |",
			"| kms101-acct03 | 777788889999 | us-west-2 | clean: nothing to remove |  |",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, WriteClass(&b, classWithRoster(t, tt.roster), tt.format))
			lines := strings.Split(b.String(), "\n")
			require.GreaterOrEqual(t, len(lines), len(tt.want), b.String())
			got := make([]string, len(tt.want))
			for i := range got {
				got[i] = strings.TrimRight(lines[i], " ")
			}
			assert.Equal(t, tt.want, got)
			if tt.roster == nil {
				assert.NotContains(t, strings.ToLower(b.String()), "student")
			}
		})
	}
}

// --format json carries each named account's "student" as class status's
// does (docs/report.md: {"name", "email", "id"}, empty parts left out), and
// no "student" key for a stack the roster does not name or without a
// roster.
func TestWriteClassJSONStudent(t *testing.T) {
	roster, err := class.ParseRoster("kms101.csv", []byte(rosterCSV))
	require.NoError(t, err)
	tests := []struct {
		name   string
		roster *class.Roster
		want   []map[string]string // per account; nil: no "student" key
	}{
		{"with a roster", roster, []map[string]string{
			{"name": "Okafor, Ada", "email": "ada@example.edu", "id": "s1001"},
			{"name": "Zoë Ångström", "email": "zoe@example.edu", "id": "s1002"},
			nil,
		}},
		{"without a roster", nil, []map[string]string{nil, nil, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			require.NoError(t, WriteClass(&b, classWithRoster(t, tt.roster), "json"))
			var doc struct {
				Accounts []map[string]json.RawMessage `json:"accounts"`
			}
			require.NoError(t, json.Unmarshal([]byte(b.String()), &doc), b.String())
			require.Len(t, doc.Accounts, len(tt.want))
			for i, want := range tt.want {
				raw, ok := doc.Accounts[i]["student"]
				if want == nil {
					assert.False(t, ok, "account %d has a student key: %s", i, raw)
					continue
				}
				require.True(t, ok, "account %d has no student key", i)
				var got map[string]string
				require.NoError(t, json.Unmarshal(raw, &got))
				assert.Equal(t, want, got, "account %d", i)
			}
		})
	}
}
