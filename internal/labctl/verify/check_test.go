package verify

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleReport() *Report {
	return &Report{Checks: []Check{
		{Name: "key.exists", Status: StatusOK, Expected: "arn:aws:kms:us-west-2:111122223333:key/k", Observed: "arn:aws:kms:us-west-2:111122223333:key/k"},
		{Name: "key.rotation", Status: StatusFail, Expected: "enabled", Observed: "disabled"},
		{Name: "object.anonymous-get", Status: StatusWarn, Expected: "refused: HTTP 400", Observed: "refused by access control, not by SSE-KMS: HTTP 403 AccessDenied"},
	}}
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteText(&buf, sampleReport()))
	assert.Equal(t, ""+
		"ok    key.exists            arn:aws:kms:us-west-2:111122223333:key/k\n"+
		"FAIL  key.rotation          disabled (expected: enabled)\n"+
		"warn  object.anonymous-get  refused by access control, not by SSE-KMS: HTTP 403 AccessDenied (expected: refused: HTTP 400)\n"+
		"3 checks: 1 ok, 1 FAIL, 1 warn\n", buf.String())
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
