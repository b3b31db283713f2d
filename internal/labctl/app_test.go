package labctl

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/spf13/cobra"
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
		{[]string{"-help"}, []string{"labctl help [verify|events|check|class|preflight]"}},
		{[]string{"help", "events"}, []string{"labctl events [-|--outputs FILE]", "--wait-timeout duration", "(default 15m0s)", "--all-regions"}},
		{[]string{"events", "-h"}, []string{"labctl events [-|--outputs FILE]", "--since TIME"}},
		{[]string{"verify", "--help"}, []string{"labctl verify [-|--outputs FILE]", "--json", "--endpoint-url URL"}},
		{[]string{"verify", "-help"}, []string{"labctl verify [-|--outputs FILE]"}},
		// class only groups status: its help lists it, and status's help
		// has the flags.
		{[]string{"help", "class"}, []string{"labctl class [command]", "status", "labctl help class status"}},
		{[]string{"class", "--help"}, []string{"labctl class [command]", "status"}},
		{[]string{"class", "help"}, []string{"labctl class [command]", "status"}},
		{[]string{"help", "class", "status"}, []string{"labctl class status classes/<class>.yaml", "--mode mode", "(default: the class file's mode)", "Exit code 0 when every account passes"}},
		{[]string{"class", "status", "-h"}, []string{"labctl class status classes/<class>.yaml", "--outputs-dir DIR"}},
		{[]string{"help", "preflight"}, []string{"labctl preflight --config Pulumi.<stack>.yaml", "--project-dir directory", "Exit code 0 when"}},
		{[]string{"check", "--help"}, []string{"labctl check", "--bucket-prefix prefix", `(default "myFirstKey")`, "Exit code 0 when every task passes"}},
		// A leading help flag is `help` for what follows.
		{[]string{"--help", "verify"}, []string{"labctl verify [-|--outputs FILE]", "--json"}},
		{[]string{"-h", "class", "status"}, []string{"labctl class status classes/<class>.yaml", "--outputs-dir DIR"}},
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

// The overview lists every command and the exit codes.
func TestHelpListsEveryCommand(t *testing.T) {
	stdout, _, code := run(t, "", "help")
	assert.Equal(t, 0, code)
	for _, cmd := range []string{"verify", "events", "check", "class", "preflight", "completion", "help"} {
		assert.Regexp(t, `(?m)^  `+cmd+` +\S`, stdout, "Available Commands should list %s", cmd)
	}
	assert.Contains(t, stdout, "exit codes: 0 ok; 1 verify found a failing check, check a failing task, class\nstatus a failing account; 2 usage")
	assert.Contains(t, stdout, "3 events printed its results but skipped\nunreadable log files.")
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
	for _, cmd := range []string{"verify", "events", "check", "class", "preflight", "completion", "help"} {
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

func TestUsageErrorsAreOneLine(t *testing.T) {
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"no command", "", nil, ""},
		{"unknown command", "", []string{"status"}, `labctl: unknown command "status": the commands are check, class, completion, events, preflight and verify (see ` + "`labctl help`)"},
		{"help for unknown command", "", []string{"help", "status"}, `labctl: no help for "status": the commands are check, class, completion, events, preflight and verify`},
		{"help for unknown subcommand", "", []string{"help", "class", "bogus"}, `labctl: no help for "class bogus": the commands are status`},
		{"unknown flag", "", []string{"verify", "--yaml"}, "labctl: verify: flag provided but not defined: -yaml (see `labctl help verify`)"},
		{"unknown single-dash flag", "", []string{"verify", "-yaml"}, "labctl: verify: flag provided but not defined: -yaml (see `labctl help verify`)"},
		{"flag without its value", "", []string{"events", "-", "--since"}, "labctl: events: flag needs an argument: -since (see `labctl help events`)"},
		{"bad number", "", []string{"events", "-", "--concurrency", "many"}, `labctl: events: invalid value "many" for flag -concurrency: invalid syntax (see ` + "`labctl help events`)"},
		{"class without subcommand", "", []string{"class"}, "labctl: class needs a subcommand: status (see `labctl help class`)"},
		{"unknown class subcommand", "", []string{"class", "stats"}, `labctl: unknown class subcommand "stats": the only one is status (see ` + "`labctl help class`)"},
		{"class status flag", "", []string{"class", "status", "--bogus"}, "labctl: class status: flag provided but not defined: -bogus (see `labctl help class status`)"},
		{"class status without file", "", []string{"class", "status"}, "labctl: class status takes one class file"},
		{"completion without shell", "", []string{"completion"}, "labctl: completion needs a subcommand: bash, fish, powershell and zsh"},
		{"check argument", "", []string{"check", "extra"}, "labctl: check takes no arguments, got extra"},
		{"preflight without config", "", []string{"preflight"}, "labctl: preflight: --config Pulumi.<stack>.yaml is required"},
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
				assert.Empty(t, stdout)
				assert.Contains(t, stderr, "Usage:")
				assert.Contains(t, stderr, "Available Commands:")
				return
			}
			assert.Empty(t, stdout)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), stderr)
			assert.True(t, strings.HasPrefix(stderr, tt.want), "got  %swant %s", stderr, tt.want)
		})
	}
}

// parse parses args as labctl does, for the command they name, and returns
// that command with its flags set.
func parse(t *testing.T, args ...string) *cobra.Command {
	t.Helper()
	code := 0
	root := (&App{}).newRootCmd(&code)
	cmd, rest := walkCommands(root, args)
	require.NoError(t, cmd.ParseFlags(singleDashLongFlags(cmd, rest)))
	return cmd
}

func TestFlagsMayFollowTheDash(t *testing.T) {
	cmd := parse(t, "verify", "-", "--json", "--profile", "lab")
	assert.Equal(t, []string{"-"}, cmd.Flags().Args())
	json, _ := cmd.Flags().GetBool("json")
	assert.True(t, json)
	profile, _ := cmd.Flags().GetString("profile")
	assert.Equal(t, "lab", profile)
}

// Go's flag package, which labctl used first, takes -name as well as
// --name; scripts written then keep working.
func TestSingleDashLongFlags(t *testing.T) {
	cmd := parse(t, "events", "-outputs", "o.json", "-since=2h", "-wait", "-key", "-wait", "-", "--", "-until")
	get := func(name string) string { return cmd.Flags().Lookup(name).Value.String() }
	assert.Equal(t, "o.json", get("outputs"))
	assert.Equal(t, "2h", get("since"))
	assert.Equal(t, "true", get("wait"))
	// A flag's value is not a flag, even when it looks like one.
	assert.Equal(t, "-wait", get("key"))
	// After --, nothing is a flag.
	assert.Equal(t, "now", get("until"))
	assert.Equal(t, []string{"-", "-until"}, cmd.Flags().Args())

	// Unknown names, -h and - stay as they are, for pflag to judge.
	assert.Equal(t, []string{"--json", "-yaml", "-h", "--help", "-", "--", "-json"},
		singleDashLongFlags(parse(t, "verify"), []string{"-json", "-yaml", "-h", "-help", "-", "--", "-json"}))
}

func TestCloudTrailBase(t *testing.T) {
	out := &stackout.Outputs{LogPrefix: "AWSLogs/111122223333/CloudTrail/us-west-2/", Region: "us-west-2", AccountID: "111122223333"}
	assert.Equal(t, "AWSLogs/111122223333/CloudTrail/", cloudTrailBase(out))
	// A trail with an S3 key prefix keeps it.
	out.LogPrefix = "class-7/AWSLogs/111122223333/CloudTrail/us-west-2/"
	assert.Equal(t, "class-7/AWSLogs/111122223333/CloudTrail/", cloudTrailBase(out))
}
