package snapshot

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/awsstub"
	"github.com/kms-lab/kms-lab/internal/testenv/cmdtest"
)

var now = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

// TestOutIsCheckedFirst: --out is checked before any read, with every
// other flag problem, and is never a file the run reads: the stack outputs
// are the student's only copy when they came from another machine.
func TestOutIsCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	outputs := filepath.Join(dir, "outputs.json")
	const outputsText = `{"accountId": "111122223333"}`
	require.NoError(t, os.WriteFile(outputs, []byte(outputsText), 0o600))
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"the outputs it reads", []string{"--outputs", outputs, "--out", outputs},
			`--out "` + outputs + `": is the stack outputs (` + outputs + `), which this run reads: writing the report there would destroy it`},
		{"an empty name", []string{"--out", ""}, `--out "": give a file name, or leave the option out to write to stdout`},
		{"a directory", []string{"--out", dir}, `--out "` + dir + `": is a directory`},
		{"a missing directory", []string{"--out", filepath.Join(dir, "nope", "lab.json")}, "nope does not exist; create it first"},
		{"with check's problems", []string{"--alias", "alias/x", "--out", dir},
			`--alias "alias/x": give the alias name without alias/ (letters, digits, / _ -); --out "` + dir + `": is a directory`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := awsstub.New(t).Factory("", now, nil)
			_, err := cmdtest.Parse(f, NewCmdSnapshot, tt.args...)
			cmdtest.UsageError(t, err, tt.wantErr)
		})
	}
	got, err := os.ReadFile(outputs)
	require.NoError(t, err)
	assert.Equal(t, outputsText, string(got), "the outputs are as they were")
}

// TestOutWritesOneFile: a good --out parses, and stdout is the default.
func TestOutWritesOneFile(t *testing.T) {
	f, _ := awsstub.New(t).Factory("", now, nil)
	out := filepath.Join(t.TempDir(), "lab.json")
	got, err := cmdtest.Parse(f, NewCmdSnapshot, "--region", "us-west-2", "--out", out)
	require.NoError(t, err)
	assert.Equal(t, out, got.Out)
	got, err = cmdtest.Parse(f, NewCmdSnapshot, "--region", "us-west-2")
	require.NoError(t, err)
	assert.Empty(t, got.Out, "stdout")
}
