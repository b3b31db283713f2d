package labctl_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventIDs reads `events --format json` output and returns the records'
// event IDs in order.
func eventIDs(t *testing.T, stdout string) []string {
	t.Helper()
	var records []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &records), "events --format json output: %s", stdout)
	ids := []string{}
	for _, r := range records {
		ids = append(ids, r["eventID"].(string))
	}
	return ids
}

// tableRows splits the table into rows of columns (columns hold no spaces
// except the principal's " via ", which is rejoined).
func tableRows(t *testing.T, stdout string) [][]string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	require.NotEmpty(t, lines)
	require.Equal(t, []string{"TIME", "EVENT", "SOURCE", "EVENT", "NAME", "PRINCIPAL", "SOURCE", "IP", "KEY", "OBJECT"}, strings.Fields(lines[0]))
	var rows [][]string
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) == 9 && f[4] == "via" {
			f = append(f[:3], append([]string{f[3] + " via " + f[5]}, f[6:]...)...)
		}
		rows = append(rows, f)
	}
	return rows
}

func TestEventsFindsTheKeyAndImageActivity(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)
	s := seedLogs(t, l)
	outputs := writeOutputs(t, l.outputs(t))
	env := awsEnv(t, l)

	res := runLabctl(t, env, "", "events", "--outputs", outputs, "--endpoint-url", moto.URL)

	// Two files are unreadable: results print, and exit code 3 says so.
	require.Equal(t, 3, res.code, "stderr: %s", res.stderr)
	rows := tableRows(t, res.stdout)
	user := l.student()
	via := user + " via s3.amazonaws.com"
	at := func(d time.Duration) string { return s.start.Add(d).Format(time.RFC3339) }
	assert.Equal(t, [][]string{
		{at(time.Minute), "kms.amazonaws.com", "GenerateDataKey", via, "s3.amazonaws.com", l.keyID, "lab-image.png"},
		{at(time.Minute + time.Second), "s3.amazonaws.com", "PutObject", user, "198.51.100.7", l.keyID, "lab-image.png"},
		{at(15 * time.Minute), "kms.amazonaws.com", "Decrypt", via, "s3.amazonaws.com", l.keyID, "lab-image.png"},
		{at(15*time.Minute + time.Second), "s3.amazonaws.com", "GetObject", user, "198.51.100.7", "-", "lab-image.png"},
	}, rows)
	// stderr holds the skipped files, in key order, and the summary: nothing
	// else (no SDK log lines).
	skipped := []string{
		fmt.Sprintf("labctl: skipped s3://%s/%s: truncated file: unexpected EOF", l.bucket, s.truncated),
		fmt.Sprintf("labctl: skipped s3://%s/%s: not a CloudTrail log file (no Records array)", l.bucket, s.notCloudTrail),
	}
	sort.Strings(skipped)
	lines := strings.Split(strings.TrimRight(res.stderr, "\n"), "\n")
	require.Len(t, lines, 3, res.stderr)
	assert.Equal(t, skipped, lines[:2])
	assert.True(t, strings.HasPrefix(lines[2], fmt.Sprintf("4 matching events in 3 log files (%d records) under s3://%s/AWSLogs/%s/CloudTrail/{us-west-2}/, ",
		12+14+30, l.bucket, l.account)), lines[2])
	assert.True(t, strings.HasSuffix(lines[2], "; 2 unreadable files skipped"), lines[2])
}

func TestEventsFilters(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)
	s := seedLogs(t, l)
	outputs := writeOutputs(t, l.outputs(t))
	env := awsEnv(t, l)

	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"default: the stack's key or image", nil, []string{s.generateDataKey, s.putObject, s.decrypt, s.getObject}},
		{"key by ID: records naming the key", []string{"--key", l.keyID}, []string{s.generateDataKey, s.putObject, s.decrypt}},
		{"key by alias", []string{"--key", l.alias}, []string{s.generateDataKey, s.putObject, s.decrypt}},
		{"key by ARN", []string{"--key", l.keyARN}, []string{s.generateDataKey, s.putObject, s.decrypt}},
		{"object only", []string{"--object", "lab-image.png"}, []string{s.generateDataKey, s.putObject, s.decrypt, s.getObject}},
		{"event names", []string{"--event", "Decrypt,generatedatakey"}, []string{s.generateDataKey, s.decrypt}},
		{"wider window reaches the old file", []string{"--since", "4d", "--key", l.keyID}, []string{s.old, s.generateDataKey, s.putObject, s.decrypt}},
		{"until before the activity", []string{"--until", s.start.Format(time.RFC3339)}, []string{}},
		{"since a date-time", []string{"--since", s.start.Add(10 * time.Minute).Format("2006-01-02T15:04")}, []string{s.decrypt, s.getObject}},
		{"another region's folder", []string{"--all-regions", "--key", s.otherRegionKeyARN}, []string{s.otherRegion}},
		{"the stack's region only by default", []string{"--key", s.otherRegionKeyARN}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"events", "--outputs", outputs, "--endpoint-url", moto.URL, "--format", "json"}, tt.args...)
			res := runLabctl(t, env, "", args...)
			require.Contains(t, []int{0, 3}, res.code, "stderr: %s", res.stderr)
			assert.Equal(t, tt.want, eventIDs(t, res.stdout))
		})
	}
}

func TestEventsJSONKeepsTheRecords(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)
	s := seedLogs(t, l)

	res := runLabctl(t, awsEnv(t, l), "", "events", "--outputs", writeOutputs(t, l.outputs(t)), "--endpoint-url", moto.URL,
		"--format", "json", "--event", "GenerateDataKey")

	require.Equal(t, 3, res.code, "stderr: %s", res.stderr)
	var records []map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &records))
	require.Len(t, records, 1)
	r := records[0]
	// The record is printed whole, as delivered: the members the table
	// leaves out are still there.
	assert.Equal(t, s.generateDataKey, r["eventID"])
	params := r["requestParameters"].(map[string]any)
	assert.Equal(t, l.keyID, params["keyId"])
	assert.Equal(t, map[string]any{"aws:s3:arn": "arn:aws:s3:::" + l.bucket + "/lab-image.png"}, params["encryptionContext"])
	assert.Equal(t, "AES_256", params["keySpec"])
	assert.Equal(t, []any{map[string]any{"accountId": l.account, "ARN": l.keyARN}}, r["resources"])
	assert.Contains(t, r, "tlsDetails")
}
