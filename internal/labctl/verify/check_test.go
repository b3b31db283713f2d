package verify

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/report"
)

func sampleReport() *Report {
	return &Report{Checks: []Check{
		{Name: "key.exists", Status: report.Pass, Expected: "arn:aws:kms:us-west-2:111122223333:key/k", Observed: "arn:aws:kms:us-west-2:111122223333:key/k"},
		{Name: "key.rotation", Status: report.Fail, Expected: "enabled", Observed: "disabled"},
		{Name: "object.anonymous-get", Status: report.Warn, Expected: "refused: HTTP 400", Observed: "refused by access control, not by SSE-KMS: HTTP 403 AccessDenied"},
	}}
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteText(&buf, sampleReport()))
	assert.Equal(t, ""+
		"pass     key.exists            arn:aws:kms:us-west-2:111122223333:key/k\n"+
		"fail     key.rotation          disabled (expected: enabled)\n"+
		"warn     object.anonymous-get  refused by access control, not by SSE-KMS: HTTP 403 AccessDenied (expected: refused: HTTP 400)\n"+
		"3 checks: 1 pass, 1 fail, 1 warn\n", buf.String())
}

func TestWriteJSON(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, sampleReport()))
	var doc map[string][]map[string]string
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	assert.Equal(t, map[string]string{"name": "key.rotation", "status": "fail", "expected": "enabled", "observed": "disabled"}, doc["checks"][1])
	assert.Len(t, doc["checks"], 3)
}

func TestReportFailed(t *testing.T) {
	r := sampleReport()
	assert.True(t, r.Failed())
	r.Checks = r.Checks[2:]
	assert.False(t, r.Failed(), "a warning alone does not fail verify")
}

// A failed read is never a verdict: only "not found" is something seen in
// the account (issue 17). The error codes are the services' documented
// ones (AWS CloudTrail and KMS API References, "Common Errors"; Amazon S3
// API Reference, "Error responses").
func TestAPIFailedIsFailOnlyForNotFound(t *testing.T) {
	target := awsclient.Target{Region: "us-west-2", Account: "111122223333", What: "CloudTrail trail myTrail"}
	j := judge{s: &account.Snapshot{Taken: account.Taken{Account: "111122223333", Region: "us-west-2"}}}
	op := func(service, name string, err error) error {
		return &smithy.OperationError{ServiceID: service, OperationName: name, Err: err}
	}
	tests := []struct {
		name     string
		err      error
		want     report.Status
		observed string
	}{
		{"trail not found", op("CloudTrail", "GetTrail", &smithy.GenericAPIError{Code: "TrailNotFoundException"}), report.Fail, "CloudTrail trail myTrail not found"},
		{"throttled", op("CloudTrail", "GetEventSelectors", &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}), report.Unknown, "AWS throttled this read of CloudTrail trail myTrail"},
		{"S3 slow down", op("S3", "GetBucketPolicy", &smithy.GenericAPIError{Code: "SlowDown"}), report.Unknown, "AWS throttled this read"},
		{"server error", op("KMS", "GetKeyPolicy", &smithy.GenericAPIError{Code: "KMSInternalException"}), report.Unknown, "server error"},
		{"access denied", op("KMS", "GetKeyPolicy", &smithy.GenericAPIError{Code: "AccessDeniedException"}), report.Unknown, "access denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := account.FromError[bool](tt.err, target, time.Time{})
			c := field(f, "trail.exists", "arn:trail", func() Check { return j.notFound("trail.exists", "arn:trail", "CloudTrail trail myTrail") }, nil)
			assert.Equal(t, tt.want, c.Status)
			assert.Contains(t, c.Observed, tt.observed)
			assert.Empty(t, c.Hint)
		})
	}
}
