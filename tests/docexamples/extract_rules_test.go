package docexamples_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The convention's rules (docs/testing.md, "The docs' examples"), each on
// a small doc: every fenced block is classified or is the output of the
// run block right above it, and a run block holds only commands the test
// can run.
func TestExtractRules(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		problems []string // substrings, one per problem, in order
		check    func(t *testing.T, b []Block)
	}{
		{
			name:     "a block with no comment",
			doc:      "text\n\n```sh\nlabctl version\n```\n",
			problems: []string{"doc.md:3: a ```sh block with no <!-- test: offline|moto|skip (why) --> comment"},
		},
		{
			name:     "a json block with no comment",
			doc:      "```json\n{}\n```\n",
			problems: []string{"doc.md:1: a ```json block with no"},
		},
		{
			name:     "a block in a list item",
			doc:      "1. Run:\n\n   ```sh\n   labctl version\n   ```\n",
			problems: []string{"doc.md:3: a ```sh block with no"},
		},
		{
			name:     "a skip without its reason",
			doc:      "<!-- test: skip -->\n```sh\npulumi up\n```\n",
			problems: []string{"doc.md:1: a skip needs its reason"},
		},
		{
			name:     "an unknown mode",
			doc:      "<!-- test: aws -->\n```sh\nlabctl check\n```\n",
			problems: []string{`doc.md:1: "<!-- test: aws -->": write <!-- test: offline|moto|skip (why)[, exit N] -->`},
		},
		{
			name:     "a command the test cannot run",
			doc:      "<!-- test: offline -->\n```sh\nlabplan --config Pulumi.dev.yaml\nmake test\n```\n",
			problems: []string{`doc.md:4: "make": the doc test runs labctl and labplan only`},
		},
		{
			name:     "a pipe",
			doc:      "<!-- test: moto -->\n```sh\npulumi stack output --json | labctl verify -\n```\n",
			problems: []string{`doc.md:3: "|" is for a shell`},
		},
		{
			name:     "a text block away from its command is unclassified",
			doc:      "<!-- test: offline -->\n```sh\nlabctl version\n```\n\nprose\n\n```text\nlabctl ...\n```\n",
			problems: []string{"doc.md:8: a ```text block with no"},
		},
		{
			name: "a skip block's commands are not parsed",
			doc:  "<!-- test: skip (needs pulumi) -->\n```sh\npulumi up | tee log\n```\n",
			check: func(t *testing.T, b []Block) {
				assert.Equal(t, []Block{{File: "doc.md", Line: 2, Lang: "sh", Mode: Skip, Reason: "needs pulumi"}}, b)
			},
		},
		{
			name: "sh commands, the output block after them, exit code and files",
			doc: "<!-- test: offline, exit 2\n-- Pulumi.dev.yaml --\nconfig: {}\n-->\n```sh\n" +
				"go run ./cmd/labplan --config Pulumi.dev.yaml   # a comment\nbin/labctl check --student 'a b'\n```\n\n```text\nlabctl: ...\n\n```\n",
			check: func(t *testing.T, b []Block) {
				if assert.Len(t, b, 1) {
					assert.Equal(t, Offline, b[0].Mode)
					assert.Equal(t, 2, b[0].Exit)
					if assert.Len(t, b[0].Files, 1) {
						assert.Equal(t, "Pulumi.dev.yaml", b[0].Files[0].Name)
						assert.Equal(t, "config: {}\n", string(b[0].Files[0].Data))
					}
					assert.Equal(t, []Command{
						{Line: 6, Text: "go run ./cmd/labplan --config Pulumi.dev.yaml   # a comment", Name: "labplan", Args: []string{"--config", "Pulumi.dev.yaml"}},
						{Line: 7, Text: "bin/labctl check --student 'a b'", Name: "labctl", Args: []string{"check", "--student", "a b"}, Want: []string{"labctl: ..."}},
					}, b[0].Commands)
				}
			},
		},
		{
			name: "console: each command with the lines under it",
			doc:  "<!-- test: offline, exit 2 -->\n```console\n$ labctl evnts\nlabctl: unknown command\n$ labctl class\nlabctl: class needs\n```\n",
			check: func(t *testing.T, b []Block) {
				if assert.Len(t, b, 1) && assert.Len(t, b[0].Commands, 2) {
					assert.Equal(t, []string{"labctl: unknown command"}, b[0].Commands[0].Want)
					assert.Equal(t, []string{"labctl: class needs"}, b[0].Commands[1].Want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			blocks, problems := Extract("doc.md", tt.doc)
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if assert.Len(t, got, len(tt.problems), strings.Join(got, "\n")) {
				for i, want := range tt.problems {
					assert.Contains(t, got[i], want)
				}
			}
			if tt.check != nil {
				tt.check(t, blocks)
			}
		})
	}
}

// A doc line matches a whole printed line, on stdout or stderr; "..."
// stands for any text; nothing else is a pattern.
func TestMissing(t *testing.T) {
	out := "class kms101: 0 of 3 accounts pass   \nlabctl 1.2.0 (commit 0123abcdef, 2026-12-01)\n"
	errOut := "labctl: --mode \"manual\": use deployed or by-hand\n"
	tests := []struct {
		want    string
		missing bool
	}{
		{"class kms101: 0 of 3 accounts pass", false},
		{`labctl: --mode "manual": use deployed or by-hand`, false},
		{"labctl 1.2.0 (commit 0123abc..., 2026-12-01)", false},
		{"class kms101: 0 of 3 accounts", true}, // part of a line is not the line
		{"class kms101: 1 of 3 accounts pass", true},
		{"labctl 1.2.0 (commit 0123abc.*, 2026-12-01)", true}, // a regexp is literal text
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			got := Missing([]string{tt.want}, out, errOut)
			if tt.missing {
				assert.Equal(t, []string{tt.want}, got)
			} else {
				assert.Empty(t, got)
			}
		})
	}
}
