package labctlclass_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/cloudtrailtest"
	"github.com/kms-lab/kms-lab/internal/testenv/console"
	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
)

// Hints that match what was seen (issue 17), on labs built as the console
// builds them. Expected words come from the lab guide ("Introduction to
// AWS Key Management Service"): task 3 steps 9-11 (SSE-KMS, myFirstKey),
// task 4 steps 16-17 (Actions, Make public using ACL), task 6 steps 5-8
// (Key users, Remove, Add).

// runCheckAs runs labctl check with the credentials of a session in a lab
// account, as a student's own session would be.
func runCheckAs(t *testing.T, dir string, sess [3]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(shared.Binary(labctlCmd), append([]string{"check"}, args...)...)
	env := labctlEnv(dir)
	for i, e := range env {
		switch {
		case strings.HasPrefix(e, "AWS_ACCESS_KEY_ID="):
			env[i] = "AWS_ACCESS_KEY_ID=" + sess[0]
		case strings.HasPrefix(e, "AWS_SECRET_ACCESS_KEY="):
			env[i] = "AWS_SECRET_ACCESS_KEY=" + sess[1]
		}
	}
	cmd.Env = append(env, "AWS_SESSION_TOKEN="+sess[2])
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return out.String(), errb.String(), code
}

// taskText is every check detail of one task, for "no hint says X".
func (r checkReport) taskText(task int) string {
	var b strings.Builder
	for _, c := range r.Tasks[task-1].Checks {
		b.WriteString(c.Name + " " + c.Status + ": " + c.Detail + hintText(c.Hint) + "\n")
	}
	return b.String()
}

// createKeyRecord is the CloudTrail record of the console's CreateKey with
// the student as key administrator and user (AWS KMS Developer Guide,
// "CreateKey" log entry example: the key in responseElements.keyMetadata;
// the policy, when one is sent, in requestParameters).
func createKeyRecord(l *handlab.Lab, at time.Time, eventID string) map[string]any {
	rec := cloudtrailtest.PutKeyPolicyRecord(l.Key(), at, eventID, []string{l.Student})
	rec["eventName"] = "CreateKey"
	rec["requestParameters"] = map[string]any{"keySpec": "SYMMETRIC_DEFAULT", "keyUsage": "ENCRYPT_DECRYPT", "origin": "AWS_KMS",
		"description": "KMS Key for S3 data", "bypassPolicyLockoutSafetyCheck": false,
		"policy": console.KeyPolicy(l.Account, l.Student, []string{l.Student})}
	rec["responseElements"] = map[string]any{"keyMetadata": map[string]any{"AWSAccountId": l.Account, "keyId": l.KeyID, "arn": l.KeyARN}}
	return rec
}

func TestCheckHints(t *testing.T) {
	moto := shared.Need(t)
	tests := []struct {
		name, account string
		b             handlab.Breakage
		// seed: the records delivered in a log file, ending this long ago;
		// nil delivers no log file.
		seed func(l *handlab.Lab, end time.Time, rng *rand.Rand) []map[string]any
		ago  time.Duration
		want map[int]string // task -> its status
		has  map[int][]string
		not  map[int][]string
	}{
		{
			// The student made the SSE-S3 image public: it was served to an
			// anonymous caller. What it lacks is SSE-KMS, not a public ACL.
			name: "task 4: SSE-S3 image already public", account: "290000000041", b: handlab.Breakage{ImageSSES3: true},
			seed: func(l *handlab.Lab, end time.Time, rng *rand.Rand) []map[string]any {
				return l.Records(end, rng)
			},
			want: map[int]string{1: "pass", 3: "fail", 4: "fail"},
			has: map[int][]string{
				3: {"object.encryption fail", "SSE-S3", "SSE-KMS and myFirstKey"},
				4: {"object.anonymous-get fail", "served to an anonymous caller", "already public", "encrypted with SSE-S3, not SSE-KMS",
					"Server-side encryption with AWS Key Management Service keys (SSE-KMS) and myFirstKey"},
			},
			not: map[int][]string{4: {"Actions > Make public using ACL"}},
		},
		{
			// Removed as a key user in task 6 and never restored; CreateKey in
			// the log files shows task 1 was done: one mistake, one red cell.
			name: "task 6 not restored, task 1 done by CreateKey", account: "290000000042", b: handlab.Breakage{NeverRestored: true},
			seed: func(l *handlab.Lab, end time.Time, rng *rand.Rand) []map[string]any {
				return append([]map[string]any{createKeyRecord(l, end.Add(-170*time.Second), "create-"+l.Account)},
					l.Records(end, rng)...)
			},
			ago:  20 * time.Minute, // past CloudTrail's delivery time, so a missing restore is a mistake
			want: map[int]string{1: "pass", 6: "fail"},
			has: map[int][]string{
				1: {"key.policy.users pass", "was made a key user by CreateKey at", "(from the log files)", "which task 6 grades"},
				6: {"key-policy.history fail", "not added back", "key.policy.users fail"},
			},
		},
		{
			// The same mistake with no history to go by: task 1 says it was
			// judged on the current key policy.
			name: "task 6 not restored, no history", account: "290000000043", b: handlab.Breakage{NeverRestored: true},
			want: map[int]string{1: "fail", 6: "fail"},
			has: map[int][]string{
				1: {"key.policy.users fail", "judged on the current key policy: no CreateKey or PutKeyPolicy record of the key in the log files",
					"under Key users"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFront(t, moto.URL) // LookupEvents denied: the log files are the history
			const region = "us-west-2"
			l := handlab.Build(t, accountClients(t, moto.URL, tt.account, region), handlab.Options{Break: tt.b})
			rng := rand.New(rand.NewPCG(17, 4))
			end := time.Now().UTC().Add(-tt.ago)
			args := []string{"--json", "--region", region, "--endpoint-url", f.URL, "--student", l.Student}
			if tt.seed != nil {
				l.DeliverLog(t, tt.seed(l, end, rng), end, rng)
			}
			if tt.ago > 0 {
				args = append(args, "--since", end.Add(-time.Hour).Format(time.RFC3339))
			}
			stdout, stderr, code := runCheckAs(t, t.TempDir(), accountSession(t, moto.URL, tt.account), args...)
			assert.Equal(t, 1, code, stderr)
			var got checkReport
			require.NoError(t, json.Unmarshal([]byte(stdout), &got), stdout+stderr)
			require.Len(t, got.Tasks, 6)
			for task, st := range tt.want {
				assert.Equal(t, st, got.Tasks[task-1].Status, "task %d:\n%s", task, got.taskText(task))
			}
			for task, words := range tt.has {
				for _, w := range words {
					assert.Contains(t, got.taskText(task), w, "task %d", task)
				}
			}
			for task, words := range tt.not {
				for _, w := range words {
					assert.NotContains(t, got.taskText(task), w, "task %d", task)
				}
			}
		})
	}
}

// TestCheckAsksForStudent: moto's static credentials are
// arn:aws:sts::123456789012:user/moto, not an IAM user or role; without
// --student check asks for one (exit 2) rather than grade that principal.
func TestCheckAsksForStudent(t *testing.T) {
	moto := shared.Need(t)
	f := newFront(t, moto.URL)
	caller := callerARN(t, moto.URL)
	stdout, stderr, code := runLabctl(t, t.TempDir(), "check", "--region", "eu-west-2", "--endpoint-url", f.URL)
	assert.Equal(t, 2, code, stdout)
	assert.Contains(t, stderr, "--student is required: the caller "+caller+" is not an IAM user or role")
	assert.Contains(t, stderr, "pass --student")
	assert.NotContains(t, stdout, "task 1", "no task is graded")
}
