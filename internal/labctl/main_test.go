package labctl

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	f := &cmdutil.Factory{
		IOStreams: &cmdutil.IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut},
		AWS:       nil, // no test here gets as far as AWS
		Now:       func() time.Time { return time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC) },
		BuildInfo: cmdutil.BuildInfo{Version: "1.2.0", Commit: "0123abc", Date: "2026-11-30T02:00:00Z"},
	}
	code = Main(context.Background(), f, args)
	return out.String(), errOut.String(), code
}

// docs/labctl.md: `labctl help [command]` and `labctl <command> --help`
// print a command's help with its flags, exit code 0.
func TestHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"help"}, []string{"labctl verify --outputs FILE", "exit codes: 0 ok; 1 verify found a failing check"}},
		{[]string{"--help"}, []string{"labctl help [verify|events|check|snapshot|class|clean|preflight|version]"}},
		{[]string{"help", "events"}, []string{"labctl events [-|--outputs FILE]", "--wait-timeout duration", "(default 15m0s)", "--all-regions"}},
		{[]string{"events", "-h"}, []string{"labctl events [-|--outputs FILE]", "--since TIME"}},
		{[]string{"verify", "--help"}, []string{"labctl verify [-|--outputs FILE]", "--json", "--endpoint-url URL"}},
		{[]string{"help", "class"}, []string{"labctl class [command]", "status", "labctl help class <command>"}},
		{[]string{"class", "--help"}, []string{"labctl class [command]", "status"}},
		{[]string{"help", "class", "status"}, []string{"labctl class status classes/<class>.yaml", "--mode mode", "(default: the class file's mode)", "Exit code 0 when every account passes"}},
		{[]string{"class", "status", "-h"}, []string{"labctl class status classes/<class>.yaml", "--outputs-dir DIR"}},
		{[]string{"help", "preflight"}, []string{"labctl preflight --config Pulumi.<stack>.yaml", "--project-dir directory", "Exit code 0 when"}},
		{[]string{"check", "--help"}, []string{"labctl check", "--bucket-prefix prefix", `(default "myFirstKey")`, "Exit code 0 when every task passes"}},
		{[]string{"help", "version"}, []string{"labctl version", "commit"}},
		// A leading help flag is help for what follows.
		{[]string{"--help", "verify"}, []string{"labctl verify [-|--outputs FILE]", "--json"}},
		{[]string{"-h", "class", "status"}, []string{"labctl class status classes/<class>.yaml", "--outputs-dir DIR"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			stdout, stderr, code := run(t, "", tt.args...)
			assert.Equal(t, 0, code)
			assert.Empty(t, stderr)
			for _, w := range tt.want {
				assert.Contains(t, stdout, w)
			}
		})
	}
}

// The overview lists every command and the exit codes.
func TestHelpListsEveryCommand(t *testing.T) {
	stdout, _, code := run(t, "", "help")
	assert.Equal(t, 0, code)
	for _, cmd := range []string{"verify", "events", "check", "class", "clean", "preflight", "version", "completion", "help"} {
		assert.Regexp(t, `(?m)^  `+cmd+` +\S`, stdout, "Available Commands should list %s", cmd)
	}
	assert.Contains(t, stdout, "exit codes: 0 ok; 1 verify found a failing check, check a failing task, class\nstatus a failing account, clean left something; 2 usage")
	assert.Contains(t, stdout, "3 events printed its results but skipped unreadable log files.")
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		t.Run(shell, func(t *testing.T) {
			stdout, stderr, code := run(t, "", "completion", shell)
			assert.Equal(t, 0, code)
			assert.Empty(t, stderr)
			assert.Contains(t, stdout, "labctl")
		})
	}
	stdout, _, _ := run(t, "", "completion", "bash")
	assert.Contains(t, stdout, "complete -o default -F __start_labctl labctl")
	// The script asks labctl for the words at each point; these are the
	// answers the shell gets.
	stdout, stderr, code := run(t, "", "__complete", "")
	assert.Equal(t, 0, code, stderr)
	for _, cmd := range []string{"verify", "events", "check", "class", "preflight", "version", "completion", "help"} {
		assert.Regexp(t, `(?m)^`+cmd+`\t`, stdout)
	}
	stdout, _, _ = run(t, "", "__complete", "class", "")
	assert.Regexp(t, `(?m)^status\t`, stdout)
	stdout, _, _ = run(t, "", "__complete", "events", "--")
	for _, flag := range []string{"--since", "--wait-timeout", "--all-regions", "--endpoint-url"} {
		assert.Regexp(t, `(?m)^`+flag+`\t`, stdout)
	}
	stdout, _, _ = run(t, "", "__complete", "help", "cl")
	assert.Regexp(t, `(?m)^class\t`, stdout)
}

// docs/labctl.md: exit code 2 for a usage error, with one line on stderr
// and nothing on stdout, then (issue 21, as GitHub's CLI prints a
// FlagError) the usage of the command the mistake was made in. The wording
// is cobra's for what cobra checks (docs/labctl.md, "Changes").
func TestUsageErrorsAreOneLine(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown command", []string{"status"}, `labctl: unknown command "status" for "labctl" (see ` + "`labctl help`)"},
		{"help for unknown command", []string{"help", "status"}, `labctl: no help for "status": unknown command "status" for "labctl"`},
		{"help for unknown subcommand", []string{"help", "class", "bogus"}, `labctl: no help for "class bogus": unknown command "bogus" for "labctl class"`},
		{"unknown flag", []string{"verify", "--yaml"}, "labctl: verify: unknown flag: --yaml (see `labctl help verify`)"},
		{"flag without its value", []string{"events", "-", "--since"}, "labctl: events: flag needs an argument: --since (see `labctl help events`)"},
		// Issue 24: the flag, the value and the rule, not strconv's words.
		{"bad number", []string{"events", "-", "--concurrency", "many"}, `labctl: --concurrency "many": must be a whole number`},
		{"unknown class subcommand", []string{"class", "stats"}, `labctl: unknown command "stats" for "labctl class"; did you mean status? (see ` + "`labctl help class`)"},
		{"completion without shell", []string{"completion"}, "labctl: completion needs a subcommand: bash, fish, powershell, zsh (see `labctl help completion`)"},
		{"unknown root flag", []string{"--bogus"}, "labctl: unknown flag: --bogus (see `labctl help`)"},
		{"version argument", []string{"version", "now"}, `labctl: version takes no arguments, got "now" (see ` + "`labctl help version`)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := run(t, "", tt.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			line, usage, _ := strings.Cut(stderr, "\n")
			assert.Equal(t, tt.want, line)
			assert.True(t, strings.HasPrefix(usage, "\nUsage:\n  labctl "), "the command's usage follows: %q", usage)
		})
	}
}

// A group run without a subcommand names them all (whichever there are).
func TestGroupWithoutSubcommand(t *testing.T) {
	stdout, stderr, code := run(t, "", "class")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Regexp(t, "^labctl: class needs a subcommand: ([a-z]+, )*status(, [a-z]+)* \\(see `labctl help class`\\)\n\nUsage:\n  labctl class ", stderr)
}

// Bare labctl prints the overview as its usage error: on stderr, exit 2.
func TestNoCommand(t *testing.T) {
	stdout, stderr, code := run(t, "")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "Usage:")
	assert.Contains(t, stderr, "Available Commands:")
	assert.NotContains(t, stderr, "labctl: ")
}
