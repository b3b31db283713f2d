package docexamples_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// docs are the pages whose every fenced block is classified and whose
// command blocks run.
var docs = []string{"README.md", "docs/labctl.md"}

// repoEntries are what the docs' commands read from the checkout (stack
// files, class files, the image), linked into each script's directory.
var repoEntries = []string{"Pulumi.yaml", "Pulumi.*.yaml", "classes", "assets"}

func TestDocExamples(t *testing.T) {
	root := mototest.ProjectDir(t)
	byMode := map[Mode][]Block{}
	for _, doc := range docs {
		text, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		blocks, problems := Extract(doc, string(text))
		for _, p := range problems {
			t.Error(p)
		}
		for _, b := range blocks {
			byMode[b.Mode] = append(byMode[b.Mode], b)
		}
	}
	for _, b := range byMode[Skip] {
		t.Logf("%s:%d: not run: %s", b.File, b.Line, b.Reason)
	}
	t.Run("offline", func(t *testing.T) {
		runBlocks(t, root, byMode[Offline], nil, "")
	})
	t.Run("moto", func(t *testing.T) {
		moto := shared.Need(t)
		profiles := motoProfiles(t, root, moto.URL)
		runBlocks(t, root, byMode[Moto], map[string]string{
			"MOTO": moto.URL,
			// Any non-empty pair: moto accepts them (docs/moto.md).
			"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
		}, profiles)
	})
}

// motoProfiles is a shared config file with each aws:profile that a stack
// file of the checkout names, holding a moto session in that stack's
// account: what the lab account's own profile would give on AWS.
func motoProfiles(t *testing.T, root, endpoint string) string {
	t.Helper()
	repo, err := classes.Load(root)
	if err != nil {
		t.Fatalf("the checkout's classes: %v", err)
	}
	var names []string
	for name, st := range repo.Stacks {
		if st.Profile != "" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var cfg strings.Builder
	for _, name := range names {
		st := repo.Stacks[name]
		s, err := mototest.AssumeRole(t.Context(), endpoint, "us-east-1", "arn:aws:iam::"+st.Account+":role/doc-examples", "doc-examples")
		if err != nil {
			t.Fatal(err)
		}
		c := s.Credentials
		fmt.Fprintf(&cfg, "[profile %s]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n",
			st.Profile, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
	}
	return cfg.String()
}

// runBlocks runs each block as a testscript script in a directory of its
// own that links the checkout's stack and class files, with env set.
func runBlocks(t *testing.T, root string, blocks []Block, env map[string]string, awsConfig string) {
	if len(blocks) == 0 {
		t.Fatal("no blocks of this kind: the docs lost their examples, or the convention changed")
	}
	dir := t.TempDir()
	var files []string
	for _, b := range blocks {
		name := filepath.Join(dir, fmt.Sprintf("%s-L%d.txtar", strings.ReplaceAll(b.File, "/", "_"), b.Line))
		if err := os.WriteFile(name, txtar.Format(Script(b)), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	testscript.Run(t, testscript.Params{
		Files:               files,
		RequireExplicitExec: true,
		Setup:               func(e *testscript.Env) error { return setup(e, root, env, awsConfig) },
		Cmds:                map[string]func(*testscript.TestScript, bool, []string){"exits": cmdExits, "shows": cmdShows},
	})
}

// Script is a block as a testscript script: per command, `exits REF CODE
// PROGRAM ARGS...` and, for the lines the doc shows, `shows REF LINE...`;
// the comment's files are the archive's. Every doc word is single-quoted,
// so the script expands nothing the doc wrote.
func Script(b Block) *txtar.Archive {
	var s strings.Builder
	fmt.Fprintf(&s, "# %s:%d, a %s block\n", b.File, b.Line, b.Mode)
	for _, c := range b.Commands {
		ref := fmt.Sprintf("%s:%d", b.File, c.Line)
		fmt.Fprintf(&s, "\n# %s\nexits %s %d %s", c.Text, ref, b.Exit, c.Name)
		for _, a := range c.Args {
			s.WriteString(" " + quote(a))
		}
		if b.Mode == Moto && c.Name == "labctl" {
			s.WriteString(" --endpoint-url $MOTO")
		}
		s.WriteString("\n")
		if len(c.Want) > 0 {
			fmt.Fprintf(&s, "shows %s", ref)
			for _, w := range c.Want {
				s.WriteString(" " + quote(w))
			}
			s.WriteString("\n")
		}
	}
	return &txtar.Archive{Comment: []byte(s.String()), Files: b.Files}
}

// quote is testscript's single quoting, where ” stands for one '.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// setup links the checkout's entries that the block's own files do not
// replace, and gives the script an AWS configuration of its own: no
// credentials offline; against moto, its dummy ones and the profiles of
// motoProfiles.
func setup(e *testscript.Env, root string, env map[string]string, awsConfig string) error {
	for _, pattern := range repoEntries {
		matches, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			return err
		}
		for _, m := range matches {
			to := filepath.Join(e.WorkDir, filepath.Base(m))
			if _, err := os.Lstat(to); err == nil {
				continue // the block brings its own
			}
			if err := os.Symlink(m, to); err != nil {
				return err
			}
		}
	}
	awsDir := filepath.Join(e.WorkDir, ".aws")
	if err := os.MkdirAll(awsDir, 0o755); err != nil {
		return err
	}
	e.Setenv("HOME", e.WorkDir)
	e.Setenv("AWS_CONFIG_FILE", filepath.Join(awsDir, "config"))
	e.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(awsDir, "credentials"))
	e.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for k, v := range env {
		e.Setenv(k, v)
	}
	return os.WriteFile(filepath.Join(awsDir, "config"), []byte(awsConfig), 0o644)
}

// cmdExits is `exits REF CODE PROGRAM ARGS...`: runs the program and
// fails unless it exits with CODE.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 3 {
		ts.Fatalf("usage: exits REF CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	got := 0
	if err := ts.Exec(args[2], args[3:]...); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			ts.Fatalf("%s: %v", args[0], err)
		}
		got = exit.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s: %s exited %d; the doc says %d", args[0], args[2], got, want)
	}
}

// cmdShows is `shows REF LINE...`: fails unless every LINE is a line of
// what the last command printed, on stdout or stderr.
func cmdShows(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: shows REF LINE...")
	}
	if missing := Missing(args[1:], ts.ReadFile("stdout"), ts.ReadFile("stderr")); len(missing) > 0 {
		ts.Fatalf("%s: the doc shows %s, which the command did not print", args[0], strings.Join(quoteAll(missing), ", "))
	}
}

// Missing are the lines of want that match no line of the output. A line
// matches when equal, ignoring trailing blanks; "..." in the doc's line
// stands for any text.
func Missing(want []string, outputs ...string) []string {
	var got []string
	for _, o := range outputs {
		for _, l := range strings.Split(o, "\n") {
			got = append(got, strings.TrimRight(l, " \t\r"))
		}
	}
	var missing []string
	for _, w := range want {
		re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(strings.TrimRight(w, " ")), `\.\.\.`, ".*") + "$")
		found := false
		for _, g := range got {
			if re.MatchString(g) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, w)
		}
	}
	return missing
}

func quoteAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = strconv.Quote(l)
	}
	return out
}
