package labctl_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// recordTo copies a snapshot taken on moto into a package's testdata, where
// it is a fixture of the verdict tables, when LABCTL_RECORD_SNAPSHOTS is
// set (go test ./tests/labctl -run Snapshot with it set re-records them).
func recordTo(t *testing.T, snapshot, fixture string) {
	t.Helper()
	if os.Getenv("LABCTL_RECORD_SNAPSHOTS") == "" {
		return
	}
	data, err := os.ReadFile(snapshot)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(mototest.ProjectDir(t), fixture), data, 0o644))
}

// retryAfter is the one part of a report that names the clock: two runs a
// minute apart may differ there only.
var retryAfter = regexp.MustCompile(`retry after \d\d:\d\d UTC`)

// TestSnapshotGradedOffline: a student's snapshot, graded with check
// --snapshot, gives the report and exit code a live check gives (issue 20,
// "Snapshots as files"), and says in one line that a file is for support.
// It holds no credentials and no object bodies.
func TestSnapshotGradedOffline(t *testing.T) {
	moto := needMoto(t)
	h := newHandLab(t, moto, "us-east-1")
	f := mototest.NewFront(t, moto.URL)
	env := awsEnv(t, h.lab)
	file := filepath.Join(t.TempDir(), "lab.json")
	snap := runLabctl(t, env, "", "snapshot", "--region", region, "--endpoint-url", f.URL, "--student", h.student, "--out", file)
	require.Equal(t, 0, snap.code, snap.stderr)
	require.Empty(t, snap.stdout, "--out writes the file, not stdout")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	text := string(data)
	assert.NotContains(t, text, h.credentials.SecretAccessKey)
	assert.NotContains(t, text, h.credentials.AccessKeyID)
	assert.NotContains(t, text, h.credentials.SessionToken)
	assert.NotContains(t, text, "\\u0089PNG", "no object body")
	var doc struct {
		Taken struct {
			By, Account, Region, Command string
		} `json:"taken"`
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	assert.Equal(t, h.caller, doc.Taken.By)
	assert.Equal(t, h.account, doc.Taken.Account)
	assert.Equal(t, region, doc.Taken.Region)
	assert.Equal(t, "check", doc.Taken.Command)
	recordTo(t, file, "internal/labctl/check/testdata/shadow-trail.json")

	live := runLabctl(t, env, "", "check", "--json", "--region", region, "--endpoint-url", f.URL, "--student", h.student)
	offline := runLabctl(t, withoutCredentials(env), "", "check", "--json", "--snapshot", file)
	assert.Equal(t, live.code, offline.code, "the same exit code")
	assert.JSONEq(t, retryAfter.ReplaceAllString(live.stdout, ""), retryAfter.ReplaceAllString(offline.stdout, ""), "the same report")
	lines := strings.Split(strings.TrimSpace(offline.stderr), "\n")
	require.Len(t, lines, 1, offline.stderr)
	assert.Contains(t, lines[0], "for support, not marks")
	assert.Contains(t, lines[0], "account "+h.account)

	// The file is graded by what it holds: flags of a live read beside it
	// are a usage error.
	bad := runLabctl(t, withoutCredentials(env), "", "check", "--snapshot", file, "--region", "eu-west-1")
	requireOneLineError(t, bad, "--snapshot grades the file as it was taken", "--region")
}

// TestVerifySnapshotGradedOffline: the same for a deployed lab, judged
// against its outputs.
func TestVerifySnapshotGradedOffline(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)
	f := mototest.NewFront(t, moto.URL)
	env := awsEnv(t, l)
	outputs := writeOutputs(t, l.outputs(t))
	file := filepath.Join(t.TempDir(), "lab.json")
	snap := runLabctl(t, env, "", "snapshot", "--outputs", outputs, "--endpoint-url", f.URL, "--out", file)
	require.Equal(t, 0, snap.code, snap.stderr)
	recordTo(t, file, "internal/labctl/verify/testdata/deployed.json")
	recordTo(t, outputs, "internal/labctl/verify/testdata/deployed.outputs.json")

	live := runLabctl(t, env, "", "verify", "--outputs", outputs, "--endpoint-url", f.URL)
	offline := runLabctl(t, withoutCredentials(env), "", "verify", "--outputs", outputs, "--snapshot", file)
	assert.Equal(t, live.code, offline.code, "the same exit code: %s", offline.stderr)
	first, rest, _ := strings.Cut(offline.stdout, "\n")
	assert.Contains(t, first, "graded offline from a snapshot of account "+l.account)
	assert.Contains(t, first, "for support, not marks")
	assert.Equal(t, live.stdout, rest, "the same checklist")
}
