package throttle_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmd/root"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// seed fixes which requests the front throttles.
const seed = 17

// lookupEventsTarget is the X-Amz-Target aws-sdk-go-v2 sends for
// cloudtrail:LookupEvents.
const lookupEventsTarget = "CloudTrail_20131101.LookupEvents"

// throttledMoto is moto behind a front (mototest.Front) whose first answer
// throttles; then it answers as AWS documents where moto differs (S3's
// refusal of an anonymous GET of an SSE-KMS object; LookupEvents, which
// moto lacks, denied as in many lab accounts).
type throttledMoto struct {
	*mototest.Front
	throttle *mototest.Throttle
}

// newThrottledMoto starts the front for the moto at motoURL, throttling
// fraction of the requests that pass (nil passes all).
func newThrottledMoto(t testing.TB, motoURL string, fraction float64, pass func(*http.Request) bool) *throttledMoto {
	t.Helper()
	throttle, err := mototest.NewThrottle(fraction, seed)
	require.NoError(t, err)
	throttled := func(w http.ResponseWriter, r *http.Request) bool {
		return (pass == nil || !pass(r)) && throttle.Answer(w, r)
	}
	return &throttledMoto{Front: mototest.NewFront(t, motoURL, throttled, denyLookupEvents), throttle: throttle}
}

// denyLookupEvents answers cloudtrail:LookupEvents with AccessDenied, as
// lab accounts that do not allow it do (the CloudTrail API Reference's
// AccessDeniedException); moto has no LookupEvents.
func denyLookupEvents(w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), lookupEventsTarget) {
		return false
	}
	awswire.WriteJSONAccessDenied(w, "User: arn:aws:iam::123456789012:user/instructor is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action")
	return true
}

// fastRetry is labctl's retryer with the waits cut to milliseconds: the
// same attempts (DefaultRetry's 10), so the same verdicts, in a short test.
var fastRetry = awsclient.Retry{MaxBackoff: 5 * time.Millisecond}

// result is one in-process labctl run.
type result struct {
	stdout, stderr string
	code           int
	err            error
	took           time.Duration
}

// runLabctl runs labctl's command tree in-process with retry as the AWS
// clients' retry bounds (zero: labctl's own).
func runLabctl(t testing.TB, retry awsclient.Retry, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	f := &cmdutil.Factory{
		IOStreams: &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errb},
		AWS: func(ctx context.Context, opts awsclient.Options, stackRegion string) (*awsclient.Clients, error) {
			opts.Retry = retry
			return awsclient.New(ctx, opts, stackRegion)
		},
		Now: time.Now,
	}
	cmd := root.NewCmdRoot(f)
	cmd.SetArgs(args)
	start := time.Now()
	err := cmd.ExecuteContext(context.Background())
	code, _ := cmdutil.ExitCode(err)
	return result{stdout: out.String(), stderr: errb.String(), code: code, err: err, took: time.Since(start)}
}

// useCredentials makes creds the environment's, and nothing else of the
// machine's AWS configuration is read.
func useCredentials(t testing.TB, creds aws.Credentials) {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("AWS_ACCESS_KEY_ID", creds.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", creds.SecretAccessKey)
	t.Setenv("AWS_SESSION_TOKEN", creds.SessionToken)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "no-aws-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "no-aws-credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "")
	// The retry bounds under test are the ones passed to runLabctl.
	t.Setenv("AWS_MAX_ATTEMPTS", "")
	t.Setenv("AWS_RETRY_MODE", "")
}

// verdicts are a run's statuses by what they judge ("task2",
// "task2/trail.logging", "stack/task2", "key.rotation"), rendered one a
// line, sorted, for a diff a reader can follow.
type verdicts map[string]string

func (v verdicts) String() string {
	lines := make([]string, 0, len(v))
	for k, s := range v {
		lines = append(lines, k+" "+s)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// statuses counts the verdicts by status.
func (v verdicts) statuses() map[string]int {
	n := map[string]int{}
	for _, s := range v {
		n[s]++
	}
	return n
}

// checkVerdicts reads `labctl check --json`: each task's status and each
// of its checks'.
func checkVerdicts(t testing.TB, stdout string) verdicts {
	t.Helper()
	var doc struct {
		Tasks []struct {
			Task   int    `json:"task"`
			Status string `json:"status"`
			Checks []struct {
				Name   string `json:"name"`
				Status string `json:"status"`
			} `json:"checks"`
		} `json:"tasks"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc), "check --json: %s", stdout)
	v := verdicts{}
	for _, task := range doc.Tasks {
		id := "task" + string(rune('0'+task.Task))
		v[id] = task.Status
		for _, c := range task.Checks {
			v[id+"/"+c.Name] = c.Status
		}
	}
	return v
}

// verifyVerdicts reads `labctl verify --json`: each check's status.
func verifyVerdicts(t testing.TB, stdout string) verdicts {
	t.Helper()
	var doc struct {
		Checks []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"checks"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc), "verify --json: %s", stdout)
	v := verdicts{}
	for _, c := range doc.Checks {
		v[c.Name] = c.Status
	}
	return v
}

// classRow is one account of `labctl class status --format json`.
type classRow struct {
	Stack  string `json:"stack"`
	Status string `json:"status"`
	Error  string `json:"error"`
	Cells  []struct {
		Column string `json:"column"`
		Status string `json:"status"`
	} `json:"cells"`
}

// classVerdicts reads `labctl class status --format json`: each account's
// status and each of its cells'; rows holds the rows by stack.
func classVerdicts(t testing.TB, stdout string) (verdicts, map[string]classRow) {
	t.Helper()
	var doc struct {
		Accounts []classRow `json:"accounts"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc), "class status --format json: %s", stdout)
	v, rows := verdicts{}, map[string]classRow{}
	for _, a := range doc.Accounts {
		rows[a.Stack] = a
		v[a.Stack] = a.Status
		for _, c := range a.Cells {
			v[a.Stack+"/"+c.Column] = c.Status
		}
	}
	return v, rows
}
