package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kms-lab/kms-lab/internal/drift"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The previews are the hand-written recordings in internal/drift/testdata,
// written after Pulumi's documented `pulumi preview --json` format
// (display.PreviewDigest); see internal/drift/drift_test.go.
const testdata = "../../internal/drift/testdata/"

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestDriftRunReportsEveryStack: three stacks report (drifted, in sync,
// unreachable), the fourth's job never did; the table has a row for each,
// sorted by stack, and the run itself succeeds (drift is reported, not a
// failed class).
func TestDriftRunReportsEveryStack(t *testing.T) {
	dir := t.TempDir()
	reports := filepath.Join(dir, "reports")
	require.NoError(t, os.Mkdir(reports, 0o755))
	for _, s := range []struct{ stack, account, file, code string }{
		{"kms101-acct02", "444455556666", "in-sync", "0"},
		{"kms101-acct01", "111122223333", "drifted", "255"},
		{"kms101-acct03", "777788889999", "unreachable", "255"},
	} {
		code, stdout, stderr := runCmd(t, "stack", "--class", "kms101", "--stack", s.stack, "--account", s.account,
			"--region", "us-east-1", "--exit-code", s.code, "--preview", testdata+s.file+".preview.json",
			"--stderr", filepath.Join(dir, "missing.txt"), "--out", filepath.Join(reports, s.stack+".json"))
		require.Equal(t, 0, code, stderr)
		assert.Contains(t, stdout, s.stack+": ")
	}
	matrix := `{"include":[{"chunk":"1 of 1","count":4,"stacks":"{\"include\":[` +
		`{\"class\":\"kms101\",\"stack\":\"kms101-acct01\",\"account\":\"111122223333\",\"region\":\"us-east-1\"},` +
		`{\"class\":\"kms101\",\"stack\":\"kms101-acct02\",\"account\":\"444455556666\",\"region\":\"us-east-1\"},` +
		`{\"class\":\"kms101\",\"stack\":\"kms101-acct03\",\"account\":\"777788889999\",\"region\":\"us-west-2\"},` +
		`{\"class\":\"kms101\",\"stack\":\"kms101-acct04\",\"account\":\"210987654321\",\"region\":\"us-east-1\"}]}"}]}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "matrix.json"), []byte(matrix), 0o644))
	summary := filepath.Join(dir, "summary.md")
	out := filepath.Join(dir, "drift.json")
	code, _, stderr := runCmd(t, "summary", "--matrix", filepath.Join(dir, "matrix.json"), "--reports", reports,
		"--json", out, "--markdown", summary)
	require.Equal(t, 0, code, stderr)

	md, err := os.ReadFile(summary)
	require.NoError(t, err)
	lines := strings.Split(string(md), "\n")
	assert.Equal(t, "## Drift: 4 stack(s): 1 in sync, 1 drifted, 2 unreachable", lines[0])
	assert.Equal(t, "| class | stack | account | status | what changed | `pulumi up` would (revert) | `pulumi refresh` would (accept) |", lines[4])
	rows := lines[6:10]
	for i, stack := range []string{"kms101-acct01", "kms101-acct02", "kms101-acct03", "kms101-acct04"} {
		assert.True(t, strings.HasPrefix(rows[i], "| kms101 | `"+stack+"` |"), "row %d: %s", i, rows[i])
	}
	assert.Contains(t, rows[0], "| 111122223333 | **drifted** |")
	assert.Contains(t, rows[0], `KMS key lab-key: key policy: statement "Allow use of the key" removed, so no key users (code: [arn:aws:iam::111122223333:user/AWSLabsUser])`)
	assert.Contains(t, rows[0], "<br>lab image object lab-image: deleted outside Pulumi |")
	assert.Contains(t, rows[0], "KMS key lab-key: sets policy back to the code's values")
	assert.Contains(t, rows[0], "KMS key lab-key: records AWS's values in the state; to keep them, also set kms-lab:keyUsers in the stack file")
	assert.Equal(t, "| kms101 | `kms101-acct02` | 444455556666 | in sync | - | - | - |", rows[1])
	assert.Contains(t, rows[2], "| **unreachable** | not checked: error: pulumi:providers:aws resource 'default_6_83_4' has a problem")
	assert.Equal(t, "| kms101 | `kms101-acct04` | 210987654321 | **unreachable** | not checked: no report: the stack's job did not finish (cancelled, timed out, or failed before reporting); see its log | - | - |", rows[3])

	var rep drift.Report
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &rep))
	assert.Equal(t, 1, rep.InSync)
	assert.Equal(t, 1, rep.Drifted)
	assert.Equal(t, 2, rep.Unreachable)
	require.Len(t, rep.Stacks, 4)
	assert.Len(t, rep.Stacks[0].Changes, 3)
}

func TestDriftReportUsageErrors(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "other.json"), []byte(`{"include": []}`), 0o644))
	cases := []struct {
		args []string
		want string
	}{
		{nil, "a command is required"},
		{[]string{"explain"}, `unknown command "explain"`},
		{[]string{"stack", "--stack", "s"}, "--stack and --out are required"},
		{[]string{"stack", "--stack", "s", "--out", filepath.Join(dir, "s.json")}, "--preview is required unless --error"},
		{[]string{"summary", "--reports", dir}, "--reports and --json are required"},
		{[]string{"summary", "--reports", dir, "--json", filepath.Join(t.TempDir(), "x.json")}, "other.json is not a stack's drift report"},
	}
	for _, tc := range cases {
		code, _, stderr := runCmd(t, tc.args...)
		assert.Equal(t, 2, code, "%v", tc.args)
		assert.Contains(t, stderr, tc.want, "%v", tc.args)
	}
}

// A report is never written over a file the same run reads: the preview
// (the job's only record of it), the matrix, or the stacks' reports, which
// a --json inside --reports would join as one more "stack".
func TestDriftReportOutIsNotAnInput(t *testing.T) {
	dir := t.TempDir()
	preview := filepath.Join(dir, "preview.json")
	previewText := []byte(`{"steps": []}`)
	require.NoError(t, os.WriteFile(preview, previewText, 0o644))
	matrix := filepath.Join(dir, "matrix.json")
	require.NoError(t, os.WriteFile(matrix, []byte(`{"include": []}`), 0o644))
	reports := filepath.Join(dir, "reports")
	require.NoError(t, os.Mkdir(reports, 0o755))

	cases := []struct {
		name string
		args []string
		want string
	}{
		{"stack --out is its --preview", []string{"stack", "--stack", "s", "--exit-code", "0", "--preview", preview, "--out", preview},
			`stack: --out "` + preview + `": is the preview (` + preview + `), which this run reads`},
		{"stack --out in a missing directory", []string{"stack", "--stack", "s", "--error", "x", "--out", filepath.Join(dir, "nope", "s.json")},
			"does not exist; create it first"},
		{"summary --json is the matrix", []string{"summary", "--reports", reports, "--matrix", matrix, "--json", matrix},
			`summary: --json "` + matrix + `": is the matrix (` + matrix + `), which this run reads`},
		{"summary --json inside --reports", []string{"summary", "--reports", reports, "--json", filepath.Join(reports, "drift.json")},
			"where every .json file is read as a stack's report: write it elsewhere"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, tc.args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr, tc.want)
		})
	}
	got, err := os.ReadFile(preview)
	require.NoError(t, err)
	assert.Equal(t, previewText, got, "the preview is untouched")
	entries, err := os.ReadDir(reports)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing was written into --reports")
}

// A job that failed before the preview still leaves its row.
func TestStackWithoutPreview(t *testing.T) {
	out := filepath.Join(t.TempDir(), "s.json")
	code, stdout, stderr := runCmd(t, "stack", "--stack", "kms101-acct05", "--error", "no state backend", "--out", out)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "kms101-acct05: unreachable\n", stdout)
}
