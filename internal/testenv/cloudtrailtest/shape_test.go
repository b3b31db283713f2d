package cloudtrailtest

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// documented reads record i of a log file written after AWS's documented
// examples (the events package's testdata; its README names the pages).
func documented(t *testing.T, file string, i int) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "labctl", "events", "testdata", "documented", file))
	require.NoError(t, err)
	var doc struct {
		Records []map[string]any `json:"Records"`
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	require.Greater(t, len(doc.Records), i)
	return doc.Records[i]
}

// shape lists every member path of a JSON value with its kind, such as
// "resources[].ARN string"; array elements share one path.
func shape(v any) []string {
	set := map[string]bool{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch t := v.(type) {
		case map[string]any:
			if prefix != "" {
				set[prefix+" object"] = true
			}
			for k, e := range t {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, e)
			}
		case []any:
			set[prefix+" array"] = true
			for _, e := range t {
				walk(prefix+"[]", e)
			}
		case string:
			set[prefix+" string"] = true
		case float64:
			set[prefix+" number"] = true
		case bool:
			set[prefix+" bool"] = true
		case nil:
			set[prefix+" null"] = true
		}
	}
	walk("", v)
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// asJSON gives a builder record the form it has in a log file.
func asJSON(t *testing.T, r Record) map[string]any {
	t.Helper()
	data, err := json.Marshal(r)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(data, &out))
	return out
}

// The builder seeds the end-to-end tests and the benchmark: its records
// must have the shape AWS documents, member for member.
func TestBuilderShapeMatchesTheDocumentedExamples(t *testing.T) {
	l := Lab{AccountID: "111122223333", Region: "us-west-2", Partition: "aws", KeyID: "1234abcd-12ab-34cd-56ef-1234567890ab",
		Bucket: "amzn-s3-demo-bucket", ObjectKey: "lab-image.png", UserName: "Alice", SourceIP: "192.0.2.0"}
	at := time.Date(2025, 5, 20, 20, 46, 16, 0, time.UTC)
	id := "a9dea4f9-8395-46c0-942c-f509c02c2b71"
	tests := []struct {
		name string
		got  Record
		file string
		i    int
	}{
		{"GenerateDataKey", l.GenerateDataKey(at, id), "kms-generatedatakey-by-s3.json", 0},
		{"Decrypt", l.Decrypt(at, id), "kms-decrypt-by-s3.json", 1},
		{"PutObject", l.PutObject(at, id), "s3-putobject-getobject.json", 0},
		{"GetObject", l.GetObject(at, id), "s3-putobject-getobject.json", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := documented(t, tt.file, tt.i)
			got := asJSON(t, tt.got)
			assert.Equal(t, shape(want), shape(got))
			// The values that say who called what on which resource.
			for _, k := range []string{"eventSource", "eventName", "eventType", "eventCategory", "managementEvent", "readOnly", "recipientAccountId", "sourceIPAddress", "resources", "requestParameters", "responseElements"} {
				assert.Equal(t, want[k], got[k], k)
			}
			// Who called, on whose behalf (the IDs are placeholders).
			wantID, gotID := want["userIdentity"].(map[string]any), got["userIdentity"].(map[string]any)
			for _, k := range []string{"type", "arn", "accountId", "userName", "invokedBy"} {
				assert.Equal(t, wantID[k], gotID[k], "userIdentity.%s", k)
			}
		})
	}
}

// LogFileKey follows CloudTrail's documented name and folder format:
// AWSLogs/AccountID/CloudTrail/RegionName/YYYY/MM/DD/
// AccountID_CloudTrail_RegionName_YYYYMMDDTHHmmZ_UniqueString.json.gz
// (AWS CloudTrail User Guide, "Finding your CloudTrail log files" and
// "CloudTrail log file name format").
func TestLogFileKeyFollowsTheDocumentedFormat(t *testing.T) {
	at := time.Date(2015, 8, 1, 2, 10, 59, 0, time.UTC)
	key := LogFileKey("111122223333", "us-east-2", at, rand.New(rand.NewPCG(1, 2)))
	dir, name := path.Split(key)
	assert.Equal(t, "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/", dir)
	parts := strings.Split(strings.TrimSuffix(name, ".json.gz"), "_")
	require.Len(t, parts, 5, name)
	assert.Equal(t, []string{"111122223333", "CloudTrail", "us-east-2", "20150801T0210Z"}, parts[:4])
	assert.Len(t, parts[4], 16, "the unique string of the documented example, Mu0KsOhtH1ar15ZZ, has 16 characters")
	assert.True(t, strings.HasSuffix(name, ".json.gz"))
}
