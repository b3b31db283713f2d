package throttle_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// region is where the hand-done labs are.
const region = "us-west-2"

// atThirty is the example: 30% of the requests throttled.
const atThirty = 0.3

// mustThrottle makes sure the front did throttle: a run it never touched
// would prove nothing.
func mustThrottle(t *testing.T, c mototest.ThrottleCounts) {
	t.Helper()
	require.Positive(t, c.Throttled, "the front throttled nothing in %d requests", c.Requests)
	t.Logf("front: %d requests, %d throttled %v", c.Requests, c.Throttled, c.ByService)
}

// noFail asserts the rule at 100%: no verdict is fail.
func noFail(t *testing.T, v verdicts) {
	t.Helper()
	for what, status := range v {
		assert.NotEqual(t, "fail", status, "%s is fail, though AWS throttled every read", what)
	}
}

// throttledError asserts a command that stopped before checking: exit 2
// with an error that says AWS throttled it.
func throttledError(t *testing.T, r result) {
	t.Helper()
	assert.Equal(t, 2, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), "AWS throttled")
	assert.Contains(t, r.err.Error(), "retry")
}

// exceptSTS lets sts requests pass unthrottled, so that a command gets
// past sts:GetCallerIdentity (or sts:AssumeRole) and every check's read
// is throttled.
func exceptSTS(r *http.Request) bool { return awswire.ScopeOf(r).Service == "sts" }

// Lab guide, "Introduction to AWS Key Management Service": a lab with
// every task done passes every task; at 30% throttling the grade must not
// change (issue 17).
func TestCheckGradesTheSameWhenThrottled(t *testing.T) {
	moto := needMoto(t)
	const account = "310000000001"
	l := buildHandLab(t, moto.URL, account, region)
	useCredentials(t, accountSession(t, moto.URL, account, region).Credentials)
	check := func(url string) result {
		return runLabctl(t, fastRetry, "check", "--json", "--region", region, "--endpoint-url", url, "--student", l.Student)
	}

	clear := check(newThrottledMoto(t, moto.URL, 0, nil).URL)
	require.Equal(t, 0, clear.code, "the complete lab passes without throttling: %s\n%s", clear.stdout, clear.stderr)
	want := checkVerdicts(t, clear.stdout)
	for task := 1; task <= 6; task++ {
		assert.Equal(t, "pass", want[fmt.Sprintf("task%d", task)], "task %d of a complete lab", task)
	}

	t.Run("30%", func(t *testing.T) {
		m := newThrottledMoto(t, moto.URL, atThirty, nil)
		got := check(m.URL)
		mustThrottle(t, m.throttle.Counts())
		assert.Equal(t, 0, got.code, "stderr: %s", got.stderr)
		assert.Equal(t, want.String(), checkVerdicts(t, got.stdout).String())
	})
	t.Run("100%", func(t *testing.T) {
		m := newThrottledMoto(t, moto.URL, 1, nil)
		got := check(m.URL)
		// sts:GetCallerIdentity, the first call, is throttled through every
		// attempt: check stops before grading.
		throttledError(t, got)
		assert.Contains(t, got.err.Error(), "sts:GetCallerIdentity")
		assert.Empty(t, got.stdout, "no grade is printed")
	})
	t.Run("100% after sts", func(t *testing.T) {
		m := newThrottledMoto(t, moto.URL, 1, exceptSTS)
		got := check(m.URL)
		mustThrottle(t, m.throttle.Counts())
		if got.stdout == "" {
			// Stopped before grading: that must say AWS throttled it.
			throttledError(t, got)
			return
		}
		v := checkVerdicts(t, got.stdout)
		require.NotEmpty(t, v)
		noFail(t, v)
		for task := 1; task <= 6; task++ {
			assert.Equal(t, "unknown", v[fmt.Sprintf("task%d", task)], "task %d: nothing could be read", task)
		}
		assert.NotContains(t, got.stdout, "Hint", "an unknown check never carries a hint")
		assert.NotEqual(t, 0, got.code)
	})
}

// A lab deployed by the program passes every verify check (the checklist
// of the README's verify section); at 30% throttling it still does.
func TestVerifyPassesTheSameWhenThrottled(t *testing.T) {
	moto := needMoto(t)
	l := newDeployedLab(t, moto.URL, "320000000002")
	useCredentials(t, l.credentials)
	verifyAt := func(url string) result {
		return runLabctl(t, fastRetry, "verify", "--json", "--outputs", l.outputsFile, "--endpoint-url", url)
	}

	clear := verifyAt(newThrottledMoto(t, moto.URL, 0, nil).URL)
	require.Equal(t, 0, clear.code, "the deployed lab passes without throttling: %s\n%s", clear.stdout, clear.stderr)
	want := verifyVerdicts(t, clear.stdout)
	require.Len(t, want, 25, "the checklist")
	assert.Equal(t, map[string]int{"pass": 25}, want.statuses())

	t.Run("30%", func(t *testing.T) {
		m := newThrottledMoto(t, moto.URL, atThirty, nil)
		got := verifyAt(m.URL)
		mustThrottle(t, m.throttle.Counts())
		assert.Equal(t, 0, got.code, "stderr: %s", got.stderr)
		assert.Equal(t, want.String(), verifyVerdicts(t, got.stdout).String())
	})
	t.Run("100%", func(t *testing.T) {
		got := verifyAt(newThrottledMoto(t, moto.URL, 1, nil).URL)
		throttledError(t, got)
		assert.Contains(t, got.err.Error(), "sts:GetCallerIdentity")
	})
	t.Run("100% after sts", func(t *testing.T) {
		m := newThrottledMoto(t, moto.URL, 1, exceptSTS)
		got := verifyAt(m.URL)
		mustThrottle(t, m.throttle.Counts())
		v := verifyVerdicts(t, got.stdout)
		// Each group stops at its first read that fails; what it reports
		// is unknown, never fail.
		require.NotEmpty(t, v)
		assert.Equal(t, map[string]int{"unknown": len(v)}, v.statuses(), "nothing was read: %s", v)
		for _, first := range []string{"key.exists", "bucket.exists", "trail.exists", "object.encryption"} {
			assert.Equal(t, "unknown", v[first], first)
		}
		// Nothing failed, some checks could not be read: exit 2.
		assert.Equal(t, 2, got.code, "stderr: %s", got.stderr)
		assert.Contains(t, got.stdout, "AWS throttled this read")
	})
	t.Run("100% of anonymous GETs", func(t *testing.T) {
		// Task 4's anonymous GET retries S3's 503 SlowDown with labctl's
		// own waits (up to 8s each; the test cannot shorten them), so this
		// run takes tens of seconds.
		signed := func(r *http.Request) bool { return r.Header.Get("Authorization") != "" }
		m := newThrottledMoto(t, moto.URL, 1, signed)
		got := verifyAt(m.URL)
		c := m.throttle.Counts()
		mustThrottle(t, c)
		assert.Equal(t, c.Requests, c.Throttled, "only the anonymous GETs reach the throttle")
		v := verifyVerdicts(t, got.stdout)
		wantV := verdicts{}
		for name, status := range want {
			wantV[name] = status
		}
		wantV["object.anonymous-get"] = "unknown"
		assert.Equal(t, wantV.String(), v.String())
		assert.Equal(t, 2, got.code, "stderr: %s", got.stderr)
		assert.Contains(t, got.stdout, "throttled the anonymous GET (HTTP 503 SlowDown) 10 times; retry in a minute")
	})
}

// writeClass writes classes/<name>.yaml and one Pulumi.<stack>.yaml per
// lab into dir, as docs/classes.md lays a class out: each stack assumes
// the instructor role in its account and names the student in
// kms-lab:keyUsers.
func writeClass(t testing.TB, dir, name string, labs []*handlab.Lab) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "classes"), 0o755))
	var stacks []string
	for _, l := range labs {
		stack := "s" + l.Account
		stacks = append(stacks, "  - "+stack)
		body := fmt.Sprintf("config:\n  aws:region: %s\n  aws:allowedAccountIds:\n    - \"%s\"\n  aws:assumeRole:\n    roleArn: arn:aws:iam::%s:role/%s\n    sessionName: kms-lab-%s\n  kms-lab:keyAdministrators:\n    - %s\n  kms-lab:keyUsers:\n    - %s\n",
			l.Region, l.Account, l.Account, instructorRole, stack, l.Student, l.Student)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi."+stack+".yaml"), []byte(body), 0o644))
	}
	classFile := filepath.Join(dir, "classes", name+".yaml")
	body := fmt.Sprintf("name: %s\ndescription: throttle e2e class\nenabled: true\nmode: by-hand\nstacks:\n%s\n", name, strings.Join(stacks, "\n"))
	require.NoError(t, os.WriteFile(classFile, []byte(body), 0o644))
	return classFile
}

// buildClass builds n complete hand-done labs in accounts lead0000000001,
// lead0000000002... (lead: two digits).
func buildClass(t testing.TB, motoURL string, lead, n int) []*handlab.Lab {
	t.Helper()
	labs := make([]*handlab.Lab, n)
	for i := range labs {
		labs[i] = buildHandLab(t, motoURL, fmt.Sprintf("%02d%010d", lead, i+1), region)
	}
	return labs
}

// moto's static test credentials: the instructor's, who assumes each
// stack's role.
var instructorCredentials = aws.Credentials{AccessKeyID: "testing", SecretAccessKey: "testing"}

func TestClassStatusGradesTheSameWhenThrottled(t *testing.T) {
	moto := needMoto(t)
	labs := buildClass(t, moto.URL, 33, 3)
	useCredentials(t, instructorCredentials)
	classFile := writeClass(t, t.TempDir(), "throttle", labs)
	status := func(url string) result {
		return runLabctl(t, fastRetry, "class", "status", classFile, "--format", "json", "--endpoint-url", url, "--parallel", "3")
	}

	clear := status(newThrottledMoto(t, moto.URL, 0, nil).URL)
	require.Equal(t, 0, clear.code, "the complete labs pass without throttling: %s\n%s", clear.stdout, clear.stderr)
	want, rows := classVerdicts(t, clear.stdout)
	require.Len(t, rows, len(labs))
	// Every account passes every task: 3 rows and 6 cells each.
	assert.Equal(t, map[string]int{"pass": len(labs) * 7}, want.statuses(), "%s", want)

	t.Run("30%", func(t *testing.T) {
		m := newThrottledMoto(t, moto.URL, atThirty, nil)
		got := status(m.URL)
		mustThrottle(t, m.throttle.Counts())
		assert.Equal(t, 0, got.code, "stderr: %s", got.stderr)
		v, _ := classVerdicts(t, got.stdout)
		assert.Equal(t, want.String(), v.String())
	})
	t.Run("100%", func(t *testing.T) {
		got := status(newThrottledMoto(t, moto.URL, 1, nil).URL)
		// sts:AssumeRole is throttled through every attempt: each row says
		// so, and is unknown, not fail.
		assert.Equal(t, 2, got.code, "stderr: %s", got.stderr)
		v, rows := classVerdicts(t, got.stdout)
		noFail(t, v)
		require.Len(t, rows, len(labs))
		for stack, row := range rows {
			assert.Equal(t, "unknown", row.Status, stack)
			assert.Contains(t, row.Error, "AWS throttled this read of sts:AssumeRole", stack)
			assert.Empty(t, row.Cells, stack)
		}
	})
	t.Run("100% after sts", func(t *testing.T) {
		m := newThrottledMoto(t, moto.URL, 1, exceptSTS)
		got := status(m.URL)
		mustThrottle(t, m.throttle.Counts())
		v, rows := classVerdicts(t, got.stdout)
		require.Len(t, rows, len(labs))
		noFail(t, v)
		for stack, row := range rows {
			if row.Error != "" {
				assert.Contains(t, row.Error, "AWS throttled", stack)
				continue
			}
			require.Len(t, row.Cells, 6, stack)
			for _, c := range row.Cells {
				assert.Equal(t, "unknown", c.Status, "%s %s", stack, c.Column)
			}
		}
		assert.Equal(t, 2, got.code, "stderr: %s", got.stderr)
	})
}
