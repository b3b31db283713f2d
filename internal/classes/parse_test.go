package classes

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 24: a class file's mistakes in the user's words, each naming the
// field, the value and the rule (docs/classes.md, "The class file"), every
// one in one run; never the YAML library's Go types.
func TestParseInTheUsersWords(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // each a whole problem
	}{
		{"stacks as one name", "name: c\nstacks: hand01\n", []string{
			`classes/c.yaml: stacks = "hand01": must be a list of stack names, one per lab account; for one stack write stacks: [hand01]`,
			`classes/c.yaml: stacks: the list of the class's stacks is empty; list one stack per lab account`,
		}},
		{"a misspelt field, with the others", "name: c\nmdoe: by-hand\nstack: [a]\nstacks: [a]\n", []string{
			`classes/c.yaml: mdoe: not a field of a class file; did you mean mode?`,
			`classes/c.yaml: stack: not a field of a class file; did you mean stacks?`,
		}},
		{"a field with no near name", "name: c\nstudents: [a]\nstacks: [a]\n", []string{
			`classes/c.yaml: students: not a field of a class file (the fields are name, description, enabled, startsAt, endsAt, mode, stacks)`,
		}},
		{"empty file", "", []string{
			`classes/c.yaml: the file is empty: a class file sets name: (the file's name) and stacks: (one stack per lab account)`,
		}},
		{"a list, not a map", "- name: c\n", []string{
			`classes/c.yaml: must be a map of fields (name:, stacks:, ...), was a list`,
		}},
		{"wrong kinds", "name: [c]\nenabled: yes please\nstacks: [a, [b]]\n", []string{
			`classes/c.yaml: name = "[c]": must be one piece of text, was a list`,
			`classes/c.yaml: enabled = "yes please": must be true or false`,
			`classes/c.yaml: stacks: the entry "[b]" must be a stack name`,
			`classes/c.yaml: name is missing: it must equal the file name "c"`,
		}},
		{"a long stack name is cut", "name: c\nstacks: [" + strings.Repeat("s", 5000) + "]\n", []string{
			`classes/c.yaml: stack "` + strings.Repeat("s", 60) + `..." (5000 characters): a stack name is letters, digits, '-', '_' and '.', at most 100 characters`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := Parse("classes/c.yaml", []byte(tt.yaml))
			var got []string
			for _, p := range ps {
				got = append(got, p.Error())
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// Issue 24: "1 problem", not "1 problem(s)".
func TestProblemsCount(t *testing.T) {
	one := Problems{{File: "classes/c.yaml", Rule: "r"}}
	assert.Equal(t, "1 problem in the class files:\nclasses/c.yaml: r", one.Error())
	two := append(one, Problem{File: "classes/d.yaml", Rule: "s"})
	assert.True(t, strings.HasPrefix(two.Error(), "2 problems in the class files:\n"))
}

// Issue 24: a class's stack files get the rules labplan and preflight
// apply (internal/stackconfig): the file's shape, a region of a known
// partition, aws:profile or aws:assumeRole but not both (docs/classes.md).
func TestParseStackSharedRules(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string
	}{
		{"config as a list", "config: [a]\n", []string{`config: must be a map of settings (aws:region: us-west-2, ...), was a list`}},
		{"misspelt config", "confg:\n  aws:region: us-west-2\n", []string{
			`confg: is not a key of a stack file, and Pulumi ignores it; did you mean config:?`,
			`aws:region = "": required: the lab account's region`,
			`aws:allowedAccountIds = "": required`,
		}},
		{"region as a list", "config:\n  aws:region: [us-west-2]\n  aws:allowedAccountIds: [\"210987654321\"]\n", []string{
			`aws:region = "[us-west-2]": must be a plain string`,
		}},
		{"made-up region", "config:\n  aws:region: mars-1\n  aws:allowedAccountIds: [\"210987654321\"]\n", []string{
			`aws:region = "mars-1": must be an AWS region name such as us-west-2, of a known partition`,
		}},
		{"profile and role", "config:\n  aws:region: us-west-2\n  aws:allowedAccountIds: [\"210987654321\"]\n  aws:profile: lab\n  aws:assumeRole:\n    roleArn: arn:aws:iam::210987654321:role/r\n", []string{
			`aws:profile is set together with aws:assumeRole: set one of the two, not both (docs/classes.md)`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ps := parseStack("Pulumi.s.yaml", "s", []byte(tt.body))
			require.Len(t, ps, len(tt.want), "%v", ps)
			for i, w := range tt.want {
				assert.Contains(t, ps[i].Error(), "Pulumi.s.yaml: "+w)
			}
		})
	}
}
