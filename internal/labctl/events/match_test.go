package events

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 11, 26, 17, 52, 3, 0, time.UTC)

// documentedRecord returns record i of a testdata/documented log file as a
// JSON map, for a test to change one thing in it.
func documentedRecord(t *testing.T, file string, i int) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "documented", file))
	require.NoError(t, err)
	var doc struct {
		Records []map[string]any `json:"Records"`
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	require.Greater(t, len(doc.Records), i)
	return doc.Records[i]
}

// decodeRecord round-trips a record through JSON, as it would come out of a
// log file.
func decodeRecord(t *testing.T, r map[string]any) (Record, []byte) {
	t.Helper()
	raw, err := json.Marshal(r)
	require.NoError(t, err)
	var rec Record
	require.NoError(t, json.Unmarshal(raw, &rec))
	return rec, raw
}

// Variations of the documented records (testdata/documented) that the
// documentation does not show but the API allows.
func TestMatcherVariations(t *testing.T) {
	gdk := func() map[string]any { return documentedRecord(t, "kms-generatedatakey-by-s3.json", 0) }
	// GenerateDataKey's KeyId may be an alias name (AWS KMS API Reference,
	// GenerateDataKey, KeyId); the record then names the key by alias.
	viaAlias := gdk()
	viaAlias["requestParameters"].(map[string]any)["keyId"] = "alias/myFirstKey"
	delete(viaAlias, "resources")
	bareID := gdk()
	delete(bareID, "resources")
	// CreateKey names the new key only in responseElements.keyMetadata
	// (AWS KMS Developer Guide, "CreateKey" CloudTrail example).
	createKey := map[string]any{
		"eventTime": "2025-05-20T20:40:00Z", "eventSource": "kms.amazonaws.com", "eventName": "CreateKey", "eventID": "e-create",
		"userIdentity":      map[string]any{"type": "IAMUser", "arn": docAlice},
		"requestParameters": map[string]any{"keyUsage": "ENCRYPT_DECRYPT", "keySpec": "SYMMETRIC_DEFAULT", "description": "KMS Key for S3 data"},
		"responseElements":  map[string]any{"keyMetadata": map[string]any{"keyId": docKeyID, "arn": docKeyARN}},
	}
	// The same object name in another bucket.
	otherBucket := documentedRecord(t, "s3-putobject-getobject.json", 1)
	otherBucket["requestParameters"].(map[string]any)["bucketName"] = "someone-elses-bucket"
	otherBucket["resources"] = []any{map[string]any{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::someone-elses-bucket/lab-image.png"}}
	// Another key's Decrypt for another bucket's object.
	otherKey := documentedRecord(t, "kms-decrypt-by-s3.json", 1)
	otherKey["resources"] = []any{map[string]any{"ARN": "arn:aws:kms:us-west-2:111122223333:key/0f0e0d0c-0000-4b3a-9c8d-000000000001"}}
	otherKey["requestParameters"].(map[string]any)["encryptionContext"] = map[string]any{"aws:s3:arn": "arn:aws:s3:::someone-elses-bucket/lab-image.png"}
	// A key ARN in another partition's spelling still names the key by ID.
	china := gdk()
	delete(china, "resources")
	china["requestParameters"].(map[string]any)["keyId"] = "arn:aws-cn:kms:cn-north-1:111122223333:key/" + docKeyID

	tests := []struct {
		name       string
		record     map[string]any
		key        *KeyRef
		object     *ObjectRef
		wantMatch  bool
		wantKey    string
		wantObject string
	}{
		{"keyId given as alias", viaAlias, docKey(), nil, true, "alias/myFirstKey", "lab-image.png"},
		{"keyId given as bare key ID, no resources", bareID, docKey(), nil, true, docKeyID, "lab-image.png"},
		{"CreateKey names the key in responseElements", createKey, docKey(), nil, true, "", ""},
		{"key ARN of another partition", china, docKey(), nil, true, docKeyID, "lab-image.png"},
		{"another key's Decrypt", otherKey, docKey(), docObject(), false, "", ""},
		{"same object name in another bucket", otherBucket, docKey(), docObject(), false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, raw := decodeRecord(t, tt.record)
			m := NewMatcher(Query{Key: tt.key, Object: tt.object, Since: rec.EventTime.Add(-time.Hour), Until: rec.EventTime.Add(time.Hour)})
			got, ok := m.Match(&rec)
			require.Equal(t, tt.wantMatch, ok)
			if ok {
				assert.True(t, m.mayMatch(raw), "the pre-check must never reject a matching record")
				assert.Equal(t, tt.wantKey, got.Key)
				assert.Equal(t, tt.wantObject, got.Object)
			}
		})
	}
}

func TestMatcherWindowAndEventNames(t *testing.T) {
	rec, _ := decodeRecord(t, documentedRecord(t, "kms-decrypt-by-s3.json", 0))
	at := rec.EventTime
	tests := []struct {
		name  string
		q     Query
		match bool
	}{
		{"inside the window", Query{Since: at, Until: at}, true},
		{"before since", Query{Since: at.Add(time.Second), Until: at.Add(time.Hour)}, false},
		{"after until", Query{Since: at.Add(-time.Hour), Until: at.Add(-time.Second)}, false},
		{"event name, any case", Query{Since: at, Until: at, EventNames: []string{"GenerateDataKey", "decrypt"}}, true},
		{"other event names", Query{Since: at, Until: at, EventNames: []string{"Encrypt"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Key = docKey()
			_, ok := NewMatcher(tt.q).Match(&rec)
			assert.Equal(t, tt.match, ok)
		})
	}
}

func TestMayMatchSkipsUnrelatedRecords(t *testing.T) {
	m := NewMatcher(Query{Key: docKey(), Object: docObject()})
	// Another bucket's object of the same name passes the cheap pre-check;
	// the full match then rules it out.
	other := documentedRecord(t, "s3-putobject-getobject.json", 1)
	other["requestParameters"].(map[string]any)["bucketName"] = "app-data"
	other["resources"] = []any{map[string]any{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::app-data/lab-image.png"}}
	rec, raw := decodeRecord(t, other)
	assert.True(t, m.mayMatch(raw))
	m = NewMatcher(Query{Key: docKey(), Object: docObject(), Since: rec.EventTime, Until: rec.EventTime})
	_, ok := m.Match(&rec)
	assert.False(t, ok)

	_, raw = decodeRecord(t, map[string]any{"eventName": "DescribeInstances", "eventID": "x"})
	assert.False(t, m.mayMatch(raw))
}

func TestNeedles(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"key ID and alias name", Query{Key: docKey()}, []string{docKeyID, "myFirstKey", "myFirstKey"}},
		{"object key with a folder uses its longest safe run", Query{Object: &ObjectRef{Key: "images/2026/lab-image.png"}}, []string{"lab-image.png"}},
		{"a short or exotic object key disables the pre-check", Query{Object: &ObjectRef{Key: "é/a"}}, nil},
		{"nothing to look for", Query{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, n := range needlesFor(tt.q) {
				got = append(got, string(n))
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestPrincipal(t *testing.T) {
	tests := []struct {
		id   UserIdentity
		want string
	}{
		{UserIdentity{Type: "IAMUser", ARN: "arn:aws:iam::1:user/u", InvokedBy: "s3.amazonaws.com"}, "arn:aws:iam::1:user/u via s3.amazonaws.com"},
		{UserIdentity{Type: "IAMUser", ARN: "arn:aws:iam::1:user/u"}, "arn:aws:iam::1:user/u"},
		{UserIdentity{Type: "AWSService", InvokedBy: "cloudtrail.amazonaws.com"}, "cloudtrail.amazonaws.com"},
		{UserIdentity{Type: "AWSAccount", AccountID: "anonymous"}, "anonymous"},
		{UserIdentity{Type: "Root"}, "Root"},
		{UserIdentity{}, "-"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.id.principal())
	}
}
