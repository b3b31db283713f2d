package tests

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A stack file can live anywhere, as with `pulumi --config-file`: the project
// (Pulumi.yaml) comes from --project-dir, or the stack file's directory, or
// the current directory and its parents (issue 8, "Also"). Where no
// Pulumi.yaml is found, the error says where labplan looked and names
// --project-dir.
func TestLabplanProjectDir(t *testing.T) {
	root, err := filepath.Abs(projectDir)
	require.NoError(t, err)
	const stackYAML = "config:\n  aws:region: us-west-2\n"
	elsewhere := t.TempDir() // a stack file with no Pulumi.yaml beside it
	stackFile := filepath.Join(elsewhere, "Pulumi.class.yaml")
	require.NoError(t, os.WriteFile(stackFile, []byte(stackYAML), 0o644))
	emptyDir := t.TempDir()
	ownProject := project(t, "own", stackYAML) // a stack file next to its project

	tests := []struct {
		name     string
		dir      string // where labplan runs
		args     []string
		wantCode int
		stdout   []string
		stderr   []string
	}{
		{"stack file elsewhere, run from the project", root,
			[]string{"--config", stackFile}, 0,
			[]string{"Plan for stack class (project kms-lab)"}, nil},
		{"stack file elsewhere, run from a subdirectory of the project", filepath.Join(root, "tests"),
			[]string{"--config", stackFile}, 0,
			[]string{"Plan for stack class (project kms-lab)"}, nil},
		{"stack file elsewhere, --project-dir", emptyDir,
			[]string{"--config", stackFile, "--project-dir", root}, 0,
			[]string{"Plan for stack class (project kms-lab)"}, nil},
		{"stack file next to its project, run from elsewhere", emptyDir,
			[]string{"--config", filepath.Join(ownProject, "Pulumi.own.yaml")}, 0,
			[]string{"Plan for stack own (project kms-lab)"}, nil},
		{"no project anywhere", emptyDir,
			[]string{"--config", stackFile}, 2, nil,
			[]string{"no Pulumi.yaml found for " + stackFile, "looked in " + elsewhere + " (the stack file's directory)",
				emptyDir + " and its parents (the current directory)", "pass --project-dir DIR"}},
		{"--project-dir without a Pulumi.yaml", root,
			[]string{"--config", stackFile, "--project-dir", emptyDir}, 2, nil,
			[]string{"--project-dir " + emptyDir + ": no Pulumi.yaml in that directory"}},
		{"missing stack file is reported before the project", emptyDir,
			[]string{"--config", filepath.Join(emptyDir, "Pulumi.gone.yaml")}, 2, nil,
			[]string{"stack config " + filepath.Join(emptyDir, "Pulumi.gone.yaml") + " does not exist"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runLabplan(t, tt.dir, tt.args...)
			require.Equal(t, tt.wantCode, res.code, "stderr: %s", res.stderr)
			for _, want := range tt.stdout {
				assert.Contains(t, res.stdout, want)
			}
			for _, want := range tt.stderr {
				assert.Contains(t, res.stderr, want)
			}
			if tt.wantCode != 0 {
				assert.Empty(t, res.stdout, "nothing on stdout when labplan fails")
			}
		})
	}
}

// The image is a project file: with the project found elsewhere, the plan
// still names it by its project-relative path and hashes the project's copy,
// exactly as the committed stack does.
func TestLabplanProjectDirKeepsTheImageRelative(t *testing.T) {
	root, err := filepath.Abs(projectDir)
	require.NoError(t, err)
	stackFile := filepath.Join(t.TempDir(), "Pulumi.dev.yaml")
	b, err := os.ReadFile(filepath.Join(root, "Pulumi.dev.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(stackFile, b, 0o644))

	here := runLabplan(t, root, "--config", "Pulumi.dev.yaml", "--format", "json")
	require.Equal(t, 0, here.code, here.stderr)
	there := runLabplan(t, t.TempDir(), "--config", stackFile, "--project-dir", root, "--format", "json")
	require.Equal(t, 0, there.code, there.stderr)
	assert.Equal(t, here.stdout, there.stdout)
}
