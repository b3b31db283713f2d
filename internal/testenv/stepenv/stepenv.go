// Package stepenv runs the workflows' step scripts (.github/scripts/) the
// way a GitHub Actions job runs them: in a working directory, with the
// files GitHub gives a step (RUNNER_TEMP, GITHUB_OUTPUT,
// GITHUB_STEP_SUMMARY) and stand-in commands first on PATH, so that a test
// asserts what the step printed, wrote and exited with.
package stepenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Env is a step's working directory and the files GitHub gives it. Calls
// is where stand-ins record their arguments, one call a line.
type Env struct {
	Work, RunnerTemp, Output, Summary, Calls string
	scripts                                  string
}

// New makes an Env in work ("" for a new temporary directory) whose steps
// are the scripts in scripts, with work/bin and work/fakes for stand-ins
// (fakes is first on PATH).
func New(t *testing.T, scripts, work string) Env {
	t.Helper()
	if work == "" {
		work = t.TempDir()
	}
	dir := t.TempDir()
	e := Env{Work: work, RunnerTemp: t.TempDir(), scripts: scripts,
		Output: filepath.Join(dir, "output"), Summary: filepath.Join(dir, "summary"), Calls: filepath.Join(dir, "calls")}
	require.NoError(t, os.MkdirAll(filepath.Join(e.Work, "bin"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(e.Work, "fakes"), 0o755))
	return e
}

// Fake writes a stand-in command at path (under Work) that records its
// arguments in Calls, then runs body.
func (e Env) Fake(t *testing.T, path, body string) {
	t.Helper()
	script := fmt.Sprintf("#!/usr/bin/env bash\necho \"$(basename \"$0\") $*\" >> %q\n%s\n", e.Calls, body)
	require.NoError(t, os.WriteFile(filepath.Join(e.Work, path), []byte(script), 0o755))
}

// Run runs the step script with env, and returns its combined output and
// exit code.
func (e Env) Run(t *testing.T, script string, env ...string) (string, int) {
	t.Helper()
	abs, err := filepath.Abs(filepath.Join(e.scripts, script))
	require.NoError(t, err)
	cmd := exec.Command("bash", abs)
	cmd.Dir = e.Work
	cmd.Env = append(os.Environ(),
		"PATH="+filepath.Join(e.Work, "fakes")+string(os.PathListSeparator)+os.Getenv("PATH"),
		"RUNNER_TEMP="+e.RunnerTemp, "GITHUB_OUTPUT="+e.Output, "GITHUB_STEP_SUMMARY="+e.Summary)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	}
	require.NoError(t, err, "%s", out)
	return string(out), 0
}

// Read is a file's text, "" when it does not exist (a step that never
// wrote it).
func (e Env) Read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return ""
	}
	require.NoError(t, err)
	return string(b)
}

// Outputs reads GITHUB_OUTPUT's name=value lines.
func (e Env) Outputs(t *testing.T) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(e.Read(t, e.Output)), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			m[k] = v
		}
	}
	return m
}

// RequireTools fails the test when a tool the steps run is missing.
func RequireTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		_, err := exec.LookPath(tool)
		require.NoError(t, err, "%s is needed to run the workflow steps", tool)
	}
}
