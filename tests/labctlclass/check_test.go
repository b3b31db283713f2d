package labctlclass_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
)

// checkReport is `labctl check --json`, as the issue specifies it.
type checkReport struct {
	Tasks []struct {
		Task   int    `json:"task"`
		Title  string `json:"title"`
		Status string `json:"status"`
		Checks []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
			Detail string `json:"detail"`
			Hint   string `json:"hint"`
		} `json:"checks"`
	} `json:"tasks"`
}

// hintText is a check's hint as labctl check's text prints it.
func hintText(hint string) string {
	if hint == "" {
		return ""
	}
	return ". Hint: " + hint
}

func (r checkReport) detail(task int, name string) string {
	for _, c := range r.Tasks[task-1].Checks {
		if c.Name == name {
			return c.Status + ": " + c.Detail + hintText(c.Hint)
		}
	}
	return ""
}

// TestCheckCompleteLabFromEventHistory grades a complete lab in moto's
// default account. The log files hold the upload and the image's opening
// but not task 6's PutKeyPolicy calls; those come only from
// cloudtrail:LookupEvents, which the front answers as AWS documents it
// (moto has no LookupEvents). The lab has the guide's fixed names in the
// default account, so the test starts from an empty moto: a run with
// -count N builds it afresh each time. No test of this package runs in
// parallel, so none loses its labs.
func TestCheckCompleteLabFromEventHistory(t *testing.T) {
	moto := shared.Need(t)
	require.NoError(t, moto.Reset(context.Background()), "emptying moto")
	f := newFront(t, moto.URL)
	const account, region = "123456789012", "eu-west-1"
	l := handlab.Build(t, accountClients(t, moto.URL, account, region), handlab.Options{})
	rng := rand.New(rand.NewPCG(3, 5))
	now := time.Now().UTC()
	var logs, history []map[string]any
	for _, r := range l.Records(now, rng) {
		if r["eventName"] == "PutKeyPolicy" {
			history = append(history, r)
		} else {
			logs = append(logs, r)
		}
	}
	require.Len(t, history, 2, "task 6 is two PutKeyPolicy calls")
	f.history = history
	l.DeliverLog(t, logs, now, rng)

	dir := t.TempDir()
	stdout, stderr, code := runLabctl(t, dir, "check", "--json", "--region", region, "--endpoint-url", f.URL, "--student", l.Student)
	assert.Equal(t, 0, code, "every task passes: %s\n%s", stdout, stderr)
	var got checkReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &got), stdout)
	require.Len(t, got.Tasks, 6)
	// The titles are the lab guide's task headings.
	assert.Equal(t, "Create your KMS master key", got.Tasks[0].Title)
	assert.Equal(t, "Manage encryption keys", got.Tasks[5].Title)
	for i, task := range got.Tasks {
		assert.Equal(t, i+1, task.Task)
		assert.Equal(t, "pass", task.Status, "task %d: %+v", task.Task, task.Checks)
		assert.NotEmpty(t, task.Checks, "task %d has checks", task.Task)
	}
	assert.Contains(t, got.detail(5, "logs.key-activity"), "GenerateDataKey")
	assert.Contains(t, got.detail(5, "logs.image-activity"), "the image Eiffel.jpg")
	assert.Contains(t, got.detail(6, "key-policy.history"), "removed as a key user at")
	assert.Contains(t, got.detail(6, "key-policy.history"), "event history")
	// Without --student, moto's static credentials (not an IAM user or
	// role) are refused as the default student: TestCheckAsksForStudent.
}

// TestCheckLater runs check in-process as an instructor would half an hour
// after a student who never opened the image and never did task 6: log
// files have been delivered since the upload, so what is missing from them
// is a failure, not "not delivered yet". The event history is denied, as
// in many lab accounts.
func TestCheckLater(t *testing.T) {
	moto := shared.Need(t)
	f := newFront(t, moto.URL)
	const account, region = "280000000008", "us-west-2"
	l := handlab.Build(t, accountClients(t, moto.URL, account, region), handlab.Options{})
	rng := rand.New(rand.NewPCG(9, 9))
	now := time.Now().UTC()
	l.DeliverLog(t, nil, now, rng) // delivered, but only other people's activity

	dir := t.TempDir()
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_CONFIG_FILE", dir+"/none")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/none")
	// The checker is in the lab account, as a student's own session would be.
	sess := accountSession(t, moto.URL, account)
	t.Setenv("AWS_ACCESS_KEY_ID", sess[0])
	t.Setenv("AWS_SECRET_ACCESS_KEY", sess[1])
	t.Setenv("AWS_SESSION_TOKEN", sess[2])

	var out, errb bytes.Buffer
	fac := cmdutil.New(cmdutil.BuildInfo{})
	fac.IOStreams = &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb}
	fac.Now = func() time.Time { return time.Now().Add(30 * time.Minute) }
	code := labctl.Main(context.Background(), fac, []string{"check", "--json", "--region", region, "--endpoint-url", f.URL, "--student", l.Student})
	assert.Equal(t, 1, code, errb.String())
	var got checkReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &got), out.String())
	assert.Equal(t, "fail", got.Tasks[4].Status)
	assert.Contains(t, got.detail(5, "logs.key-activity"), "fail: no record names the key "+l.KeyID)
	assert.Contains(t, got.detail(5, "logs.key-activity"), "Hint:")
	assert.Equal(t, "fail", got.Tasks[5].Status)
	d := got.detail(6, "key-policy.history")
	assert.Contains(t, d, "no PutKeyPolicy call removed "+l.Student)
	assert.True(t, strings.Contains(d, "event history not used: cloudtrail:LookupEvents denied"), d)
}
