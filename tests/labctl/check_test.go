package labctl_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// checkReport is `labctl check --json` (docs/report.md).
type checkReport struct {
	Tasks []struct {
		Task   int    `json:"task"`
		Status string `json:"status"`
		Checks []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
			Detail string `json:"detail"`
		} `json:"checks"`
	} `json:"tasks"`
}

// check returns task's check name as "status: detail", "" when absent.
func (r checkReport) check(task int, name string) string {
	for _, c := range r.Tasks[task-1].Checks {
		if c.Name == name {
			return c.Status + ": " + c.Detail
		}
	}
	return ""
}

// TestCheckTrailHomedInAnotherRegion: the student created myTrail as a
// multi-region trail while the console was in us-east-1, and did the rest
// of the lab in us-west-2. The trail covers us-west-2 (AWS CloudTrail User
// Guide, "How shadow trails work"), so task 2 is done: check must find it
// through its shadow and grade it by its settings, read in its home region.
func TestCheckTrailHomedInAnotherRegion(t *testing.T) {
	moto := needMoto(t)
	h := newHandLab(t, moto, "us-east-1")
	f := mototest.NewFront(t, moto.URL) // S3's refusal of an unsigned GET of an SSE-KMS object
	res := runLabctl(t, awsEnv(t, h.lab), "", "check", "--json", "--region", region, "--endpoint-url", f.URL, "--student", h.student)
	var got checkReport
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &got), "stdout: %s\nstderr: %s", res.stdout, res.stderr)
	require.Len(t, got.Tasks, 6)

	assert.Equal(t, "pass: "+h.trailARN+" -> s3://"+h.bucket, got.check(2, "trail.exists"), "the trail homed in us-east-1")
	for _, name := range []string{"trail.logging", "trail.event-selectors", "trail.insight-selectors", "trail.bucket-name", "bucket.policy"} {
		assert.True(t, strings.HasPrefix(got.check(2, name), "pass: "), "%s: %s", name, got.check(2, name))
	}
	assert.Equal(t, "pass", got.Tasks[1].Status, "task 2: %+v", got.Tasks[1].Checks)
	for task := 1; task <= 4; task++ {
		assert.Equal(t, "pass", got.Tasks[task-1].Status, "task %d: %+v", task, got.Tasks[task-1].Checks)
	}
	// No detail shows an empty value as if it were one.
	assert.NotContains(t, res.stdout, "aws:SourceArn=\"")
	assert.NotContains(t, res.stdout, "aws:SourceArn=;")
}
