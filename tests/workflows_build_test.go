package tests

// Build once per run: the preview, deploy, teardown and drift workflows build
// the program once (_build.yml) and every stack job runs that binary. These
// tests check that no job can run a binary built from another commit: they
// run the stack job's own check script (.github/scripts/check-binaries.sh,
// which _stack.yml and _clean.yml call) against real binaries built from a
// throw-away git repository, and check the wiring around it.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wfStep finds a step of a job by name.
func wfStep(t *testing.T, w clsWorkflow, job, name string) (map[string]any, int) {
	t.Helper()
	steps, _ := w.jobs()[job]["steps"].([]any)
	for i, s := range steps {
		if clsMap(s)["name"] == name {
			return clsMap(s), i
		}
	}
	t.Fatalf("%s job %s has no step %q", w.File, job, name)
	return nil, -1
}

func wfByFile(t *testing.T, file string) clsWorkflow {
	t.Helper()
	for _, w := range clsWorkflows(t) {
		if w.File == file {
			return w
		}
	}
	t.Fatalf("no workflow %s", file)
	return clsWorkflow{}
}

func gitIn(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
	return strings.TrimSpace(string(out))
}

// buildAt builds the throw-away program as _build.yml does (-buildvcs=true)
// into dist/ and returns the directory.
func buildAt(t *testing.T, repo string) string {
	t.Helper()
	dist := t.TempDir()
	for _, b := range []string{"kms-lab", "labctl", "driftreport"} {
		cmd := exec.Command("go", "build", "-buildvcs=true", "-o", filepath.Join(dist, b), ".")
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GOFLAGS=", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	return dist
}

// TestStackJobRefusesBinariesFromAnotherCommit runs the "Check the prebuilt
// binaries" step's script as the job would, in a checkout at one commit,
// with binaries built from that commit or another.
func TestStackJobRefusesBinariesFromAnotherCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds small Go binaries")
	}
	for _, tool := range []string{"bash", "git", "go", "jq"} {
		_, err := exec.LookPath(tool)
		require.NoError(t, err, "%s is needed to run the workflow step", tool)
	}
	for _, wf := range []struct{ file, job string }{{"_stack.yml", "pulumi"}, {"_clean.yml", "clean"}} {
		step, _ := wfStep(t, wfByFile(t, wf.file), wf.job, "Check the prebuilt binaries")
		assert.Equal(t, "bash .github/scripts/check-binaries.sh", step["run"], "%s runs the tested script", wf.file)
	}
	script, err := filepath.Abs(filepath.Join(clsRoot, ".github", "scripts", "check-binaries.sh"))
	require.NoError(t, err)

	repo := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(repo, "go.mod"), []byte("module example.com/prog\n\ngo 1.21\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(repo, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644))
	project, err := os.ReadFile(filepath.Join(clsRoot, "Pulumi.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(repo, "Pulumi.yaml"), project, 0o644))
	gitIn(t, repo, "init", "-q")
	gitIn(t, repo, "add", ".")
	gitIn(t, repo, "commit", "-qm", "A")
	commitA := gitIn(t, repo, "rev-parse", "HEAD")
	distA := buildAt(t, repo)

	require.NoError(t, os.WriteFile(filepath.Join(repo, "main.go"), []byte("package main\n\nfunc main() { println() }\n"), 0o644))
	distDirty := buildAt(t, repo) // built with an uncommitted change
	gitIn(t, repo, "commit", "-qam", "B")
	commitB := gitIn(t, repo, "rev-parse", "HEAD")
	distB := buildAt(t, repo)

	cases := []struct {
		name     string
		checkout string // commit the job checked out
		dist     string
		artifact string
		manifest string
		want     string // "" = passes
	}{
		{"same commit", commitB, distB, "kms-lab-bin-" + commitB, commitB, ""},
		{"binary from the previous commit under this commit's name", commitB, distA, "kms-lab-bin-" + commitB, commitB,
			"bin/kms-lab was built from commit " + commitA + ", this job checked out " + commitB},
		{"artifact of another commit", commitB, distA, "kms-lab-bin-" + commitA, commitA,
			"the artifact kms-lab-bin-" + commitA + " was not built from this job's commit " + commitB},
		{"job checked out an older commit", commitA, distB, "kms-lab-bin-" + commitB, commitB,
			"was not built from this job's commit " + commitA},
		{"binary built from a modified tree", commitA, distDirty, "kms-lab-bin-" + commitA, commitA,
			"bin/kms-lab was built from a tree with local changes (vcs.modified=true)"}, // its revision is A, but modified
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			work := t.TempDir()
			gitIn(t, work, "clone", "-q", repo, ".")
			gitIn(t, work, "checkout", "-q", tc.checkout)
			bin := filepath.Join(work, "bin")
			require.NoError(t, os.Mkdir(bin, 0o755))
			for _, b := range []string{"kms-lab", "labctl", "driftreport"} {
				data, err := os.ReadFile(filepath.Join(tc.dist, b))
				require.NoError(t, err)
				// Artifacts lose the executable bit; the step restores it.
				require.NoError(t, os.WriteFile(filepath.Join(bin, b), data, 0o644))
			}
			require.NoError(t, os.WriteFile(filepath.Join(bin, "manifest.json"),
				[]byte(`{"commit": "`+tc.manifest+`", "go": "go1.26", "awsPlugin": "v6.83.4"}`), 0o644))
			output := filepath.Join(t.TempDir(), "output")
			cmd := exec.Command("bash", script)
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "ARTIFACT="+tc.artifact, "GITHUB_OUTPUT="+output)
			out, err := cmd.CombinedOutput()
			if tc.want != "" {
				require.Error(t, err, "the step must fail: %s", out)
				assert.Contains(t, string(out), "::error::")
				assert.Contains(t, string(out), tc.want)
				return
			}
			require.NoError(t, err, "%s", out)
			o, err := os.ReadFile(output)
			require.NoError(t, err)
			assert.Equal(t, "aws-plugin=v6.83.4\n", string(o))
			// The job's Pulumi.yaml now runs the prebuilt binary, and Pulumi's
			// own loader reads it so (Pulumi project file reference: runtime
			// options, binary: "a pre-built executable", for Go).
			proj, err := workspace.LoadProject(filepath.Join(work, "Pulumi.yaml"))
			require.NoError(t, err)
			assert.Equal(t, "go", proj.Runtime.Name())
			assert.Equal(t, "bin/kms-lab", proj.Runtime.Options()["binary"])
			assert.Nil(t, committedBinaryOption(t), "the committed Pulumi.yaml names no binary")
		})
	}
}

// committedBinaryOption: the committed Pulumi.yaml never names a binary, so a
// local `pulumi up` compiles the program it is run on.
func committedBinaryOption(t *testing.T) any {
	t.Helper()
	proj, err := workspace.LoadProject(filepath.Join(clsRoot, "Pulumi.yaml"))
	require.NoError(t, err)
	return proj.Runtime.Options()["binary"]
}

// TestWorkflowsBuildOnceAndCheckTheCommit: the wiring around the check.
func TestWorkflowsBuildOnceAndCheckTheCommit(t *testing.T) {
	build := wfByFile(t, "_build.yml")
	step, _ := wfStep(t, build, "build", "Build the program, labctl and driftreport")
	script, _ := step["run"].(string)
	assert.Contains(t, script, "commit=$(git rev-parse HEAD)")
	assert.Contains(t, script, `echo "artifact=kms-lab-bin-$commit"`, "the artifact is named after the commit it was built from")
	for _, target := range []string{"-o dist/kms-lab .", "-o dist/labctl ./cmd/labctl", "-o dist/driftreport ./cmd/driftreport"} {
		assert.Contains(t, script, "go build -buildvcs=true "+target, "the commit is recorded in every binary")
	}
	upload, _ := wfStep(t, build, "build", "Upload the binaries")
	assert.Equal(t, "${{ steps.build.outputs.artifact }}", clsMap(upload["with"])["name"])

	stack := wfByFile(t, "_stack.yml")
	_, download := wfStep(t, stack, "pulumi", "Download the prebuilt binaries")
	_, check := wfStep(t, stack, "pulumi", "Check the prebuilt binaries")
	dl, _ := wfStep(t, stack, "pulumi", "Download the prebuilt binaries")
	assert.Equal(t, "${{ inputs.artifact }}", clsMap(dl["with"])["name"])
	assert.Equal(t, download+1, check, "the binaries are checked right after the download")
	steps, _ := stack.jobs()["pulumi"]["steps"].([]any)
	for i, s := range steps {
		m := clsMap(s)
		uses, _ := m["uses"].(string)
		run, _ := m["run"].(string)
		if i == check {
			continue
		}
		if strings.HasPrefix(uses, "pulumi/actions@") && clsMap(m["with"])["command"] != nil ||
			strings.Contains(run, "pulumi preview") || strings.Contains(run, "bin/labctl") ||
			strings.Contains(run, ".github/scripts/") {
			assert.Greater(t, i, check, "step %q runs a binary or Pulumi before the commit check", m["name"])
		}
	}
	setup, _ := wfStep(t, stack, "pulumi", "Set up Go")
	assert.Equal(t, false, clsMap(setup["with"])["cache"], "the stack jobs restore no Go build cache")
	assert.NotContains(t, clsMap(stack.jobs()["pulumi"]["env"]), "GOFLAGS", "no job-wide GOFLAGS may turn -buildvcs off")
}
