package class

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/classes"
)

// TestParseRoster: a roster is a CSV (RFC 4180: a quoted field may hold a
// comma or a doubled quote) with a header naming its columns; a file
// problem names its line, and every one is reported in one run.
func TestParseRoster(t *testing.T) {
	tests := []struct {
		name    string
		csv     string
		want    map[string]Student
		wantErr []string
	}{
		{"stack and name only", "stack,name\nkms101-acct01,Ada Okafor\n",
			map[string]Student{"kms101-acct01": {Name: "Ada Okafor"}}, nil},
		{"every column, any order, any case, quoted names", "ID, Email ,Name,Stack\r\n" +
			`s1001,ada@example.edu,"Okafor, Ada",kms101-acct01` + "\r\n" +
			`s1002,zoe@example.edu,"Zoë ""Zo"" Ångström",kms101-acct02` + "\r\n",
			map[string]Student{
				"kms101-acct01": {Name: "Okafor, Ada", Email: "ada@example.edu", ID: "s1001"},
				"kms101-acct02": {Name: `Zoë "Zo" Ångström`, Email: "zoe@example.edu", ID: "s1002"},
			}, nil},
		{"a spreadsheet's byte order mark and a blank line", "\ufeffstack,name\nkms101-acct01,Ada\n,\nkms101-acct02,Bo\n",
			map[string]Student{"kms101-acct01": {Name: "Ada"}, "kms101-acct02": {Name: "Bo"}}, nil},
		{"empty", "", nil, []string{"roster r.csv: the file is empty: its first line is the header stack,name,email,id (email and id may be left out)"}},
		{"a header without name, with an unknown column", "stack,mail\nkms101-acct01,a@b\n", nil,
			[]string{`line 1: column "mail": the columns are stack, name, email, id`, `line 1: no "name" column`}},
		{"every row problem at once", "stack,name,email\n" +
			",Ada,ada@example.edu\n" +
			"kms101-acct02,,\n" +
			"kms101-acct03,Cy,cy.example.edu\n" +
			"kms101-acct04,Di\n" +
			"kms101-acct03,Ed,\n", nil,
			[]string{`line 2: no stack for "Ada"`, "line 3: stack kms101-acct02 has no name", `line 4: email "cy.example.edu" has no @`,
				"line 5: 2 fields, the header has 3", "line 6: stack kms101-acct03 is also on line 4: one student per stack"}},
		{"a broken quote", "stack,name\nkms101-acct01,\"Ada\n", nil, []string{"line 2, column"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRoster("r.csv", []byte(tt.csv))
			if tt.wantErr != nil {
				require.Error(t, err)
				for _, w := range tt.wantErr {
					assert.Contains(t, err.Error(), w)
				}
				assert.Nil(t, r)
				return
			}
			require.NoError(t, err)
			got := map[string]Student{}
			for stack := range tt.want {
				if s := r.Student(stack); s != nil {
					got[stack] = *s
				}
			}
			assert.Equal(t, tt.want, got)
			assert.Len(t, r.byStack, len(tt.want), "no other stack")
		})
	}
}

// TestRosterMismatches: a roster line for a stack the class lacks, and a
// stack with no line, are each reported, all in one run, and neither is an
// error (issue 22).
func TestRosterMismatches(t *testing.T) {
	r, err := ParseRoster("r.csv", []byte("stack,name\nkms101-acct01,Ada\nkms101-acct09,Ida\nkms101-acct07,Gus\n"))
	require.NoError(t, err)
	stacks := []classes.Stack{{Name: "kms101-acct01"}, {Name: "kms101-acct02"}, {Name: "kms101-acct03"}}
	assert.Equal(t, []string{
		"stack kms101-acct02 has no line in the roster: it is shown without a name",
		"stack kms101-acct03 has no line in the roster: it is shown without a name",
		"the roster names Gus for stack kms101-acct07, which the class does not list",
		"the roster names Ida for stack kms101-acct09, which the class does not list",
	}, r.Mismatches(stacks))
	assert.Equal(t, "kms101-acct01 (Ada)", r.Label("kms101-acct01"))
	assert.Equal(t, "kms101-acct02", r.Label("kms101-acct02"))

	var none *Roster
	assert.Empty(t, none.Mismatches(stacks), "no roster, nothing to report")
	assert.Nil(t, none.Student("kms101-acct01"))
	assert.Equal(t, "kms101-acct01", none.Label("kms101-acct01"))
}
