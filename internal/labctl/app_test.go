package labctl

import (
	"bytes"
	"context"
	"flag"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := &App{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut}
	code = app.Run(context.Background(), args)
	return out.String(), errOut.String(), code
}

func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"labctl verify --outputs FILE", "exit codes: 0 ok; 1 verify found a failing check"}},
		{[]string{"--help"}, []string{"labctl help [verify|events|check|class|preflight]"}},
		{[]string{"help", "events"}, []string{"usage: labctl events", "--wait-timeout duration", "(default 15m0s)", "--all-regions"}},
		{[]string{"events", "-h"}, []string{"usage: labctl events", "--since TIME"}},
		{[]string{"verify", "--help"}, []string{"usage: labctl verify", "--json", "--endpoint-url URL"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			stdout, stderr, code := run(t, "", tt.args...)
			assert.Equal(t, 0, code) // README: exit code 0 ok
			assert.Empty(t, stderr)
			for _, w := range tt.want {
				assert.Contains(t, stdout, w)
			}
		})
	}
}

func TestUsageErrorsAreOneLine(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"no command", "", nil, ""},
		{"unknown command", "", []string{"status"}, `labctl: unknown command "status": the commands are verify, events, check, class and preflight (see ` + "`labctl help`)"},
		{"help for unknown command", "", []string{"help", "status"}, `labctl: no help for "status": the commands are verify, events, check, class and preflight`},
		{"unknown flag", "", []string{"verify", "--yaml"}, "labctl: verify: flag provided but not defined: -yaml (see `labctl help verify`)"},
		{"no outputs", "", []string{"verify"}, "labctl: no stack outputs: pipe them in (`pulumi stack output --json | labctl CMD -`) or pass --outputs FILE"},
		{"both stdin and file", "", []string{"verify", "-", "--outputs", "x.json"}, "labctl: give the outputs either as - (stdin) or with --outputs, not both"},
		{"stray argument", "", []string{"events", "outputs.json"}, "labctl: unexpected argument(s) outputs.json: the only argument is - (outputs on stdin)"},
		{"bad format", "", []string{"events", "-", "--format", "csv"}, `labctl: --format "csv": use table or json`},
		{"both region options", "", []string{"events", "-", "--all-regions", "--region-folder", "us-east-1"}, "labctl: give either --region-folder or --all-regions, not both"},
		{"bad outputs on stdin", "{\"accountId\": }", []string{"verify", "-", "--json"}, "labctl: stack outputs from stdin: not a JSON object: invalid JSON at line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := run(t, tt.stdin, tt.args...)
			assert.Equal(t, 2, code) // README: exit code 2 error, one line on stderr
			if tt.want == "" {
				// Bare `labctl` prints the overview as its error.
				assert.Contains(t, stderr, "usage:")
				return
			}
			assert.Empty(t, stdout)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), stderr)
			assert.True(t, strings.HasPrefix(stderr, tt.want), "got  %swant %s", stderr, tt.want)
		})
	}
}

func TestParseArgsAllowsFlagsAfterTheDash(t *testing.T) {
	var f verifyFlags
	positional, err := parseArgs(newVerifyFlags(&f), []string{"-", "--json", "--profile", "lab"})
	require.NoError(t, err)
	assert.Equal(t, []string{"-"}, positional)
	assert.True(t, f.json)
	assert.Equal(t, "lab", f.common.aws.Profile)

	_, err = parseArgs(newVerifyFlags(&verifyFlags{}), []string{"-h"})
	assert.ErrorIs(t, err, flag.ErrHelp)
}

func TestCloudTrailBase(t *testing.T) {
	out := &stackout.Outputs{LogPrefix: "AWSLogs/111122223333/CloudTrail/us-west-2/", Region: "us-west-2", AccountID: "111122223333"}
	assert.Equal(t, "AWSLogs/111122223333/CloudTrail/", cloudTrailBase(out))
	// A trail with an S3 key prefix keeps it.
	out.LogPrefix = "class-7/AWSLogs/111122223333/CloudTrail/us-west-2/"
	assert.Equal(t, "class-7/AWSLogs/111122223333/CloudTrail/", cloudTrailBase(out))
}
