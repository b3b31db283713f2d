package events

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The documentation's placeholders, kept in testdata/documented (see its
// README for the page each record follows).
const (
	docKeyID  = "1234abcd-12ab-34cd-56ef-1234567890ab"
	docKeyARN = "arn:aws:kms:us-west-2:111122223333:key/" + docKeyID
	docBucket = "amzn-s3-demo-bucket"
	docAlice  = "arn:aws:iam::111122223333:user/Alice"
)

func docKey() *KeyRef {
	return &KeyRef{ID: docKeyID, ARN: docKeyARN,
		Aliases: []string{"alias/myFirstKey", "arn:aws:kms:us-west-2:111122223333:alias/myFirstKey"}}
}

func docObject() *ObjectRef {
	return &ObjectRef{Bucket: docBucket, Key: "lab-image.png", ARN: "arn:aws:s3:::" + docBucket + "/lab-image.png"}
}

// readDocumented decodes a testdata log file through the same decoder a
// downloaded file goes through (gzipped, as CloudTrail delivers it).
func readDocumented(t *testing.T, name string) []Record {
	t.Helper()
	plain, err := os.ReadFile(filepath.Join("testdata", "documented", name))
	require.NoError(t, err)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err = zw.Write(plain)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	var out []Record
	n, err := readLogFile(&buf, func(raw []byte) error {
		var r Record
		if err := json.Unmarshal(raw, &r); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	require.NoError(t, err)
	require.Equal(t, n, len(out))
	return out
}

// What a user of `labctl events` must see for each documented record: the
// lab's key and image activity, called by S3 on Alice's behalf where KMS is
// involved.
func TestDocumentedRecords(t *testing.T) {
	type want struct {
		eventName  string
		time       string
		principal  string
		byKey      bool   // matched by the lab key alone
		byObject   bool   // matched by the lab image alone
		shownKey   string // the KEY column
		shownObj   string // the OBJECT column
		sourceIP   string
		requestKey string // the raw keyId parameter, when the record has one
	}
	via := docAlice + " via s3.amazonaws.com"
	tests := []struct {
		file string
		want []want
	}{
		{"kms-generatedatakey-by-s3.json", []want{
			// The key is named by ID in requestParameters and by ARN in
			// resources (no resource type in the KMS guide's example).
			{"GenerateDataKey", "2025-05-20T20:46:16Z", via, true, true, docKeyID, "lab-image.png", "s3.amazonaws.com", docKeyID},
		}},
		{"kms-decrypt-by-s3.json", []want{
			{"Decrypt", "2025-05-20T20:45:00Z", via, true, true, docKeyID, "lab-image.png", "s3.amazonaws.com", docKeyARN},
			// Without keyId only resources names the key.
			{"Decrypt", "2025-05-20T20:47:00Z", via, true, true, docKeyID, "lab-image.png", "s3.amazonaws.com", ""},
		}},
		{"s3-putobject-getobject.json", []want{
			{"PutObject", "2025-05-20T20:46:17Z", docAlice, true, true, docKeyID, "lab-image.png", "192.0.2.0", ""},
			// GetObject records do not name the key: the image finds it.
			{"GetObject", "2025-05-20T20:50:02Z", docAlice, false, true, "", "lab-image.png", "192.0.2.0", ""},
		}},
		{"kms-putkeypolicy.json", []want{
			// Lab task 6's key policy change: the key's, not the image's.
			{"PutKeyPolicy", "2022-09-01T20:06:16Z", docAlice, true, false, docKeyID, "", "192.0.2.0", docKeyID},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			records := readDocumented(t, tt.file)
			require.Len(t, records, len(tt.want))
			for i, w := range tt.want {
				rec := records[i]
				at, err := time.Parse(time.RFC3339, w.time)
				require.NoError(t, err)
				assert.Equal(t, w.eventName, rec.EventName)
				assert.True(t, at.Equal(rec.EventTime), "eventTime %s", rec.EventTime)
				assert.Equal(t, w.principal, rec.UserIdentity.principal())
				assert.Equal(t, w.sourceIP, rec.SourceIPAddress)
				assert.Equal(t, w.requestKey, stringMember(objectMembers(rec.RequestParameters), "keyId"))

				window := Query{Since: at.Add(-time.Minute), Until: at.Add(time.Minute)}
				for _, q := range []struct {
					name  string
					key   *KeyRef
					obj   *ObjectRef
					match bool
				}{
					{"by key", docKey(), nil, w.byKey},
					{"by object", nil, docObject(), w.byObject},
					{"by either (the default)", docKey(), docObject(), true},
				} {
					query := window
					query.Key, query.Object = q.key, q.obj
					m := NewMatcher(query)
					got, ok := m.Match(&rec)
					assert.Equal(t, q.match, ok, "%s #%d %s", w.eventName, i, q.name)
					raw, err := json.Marshal(rec)
					require.NoError(t, err)
					if ok {
						assert.True(t, m.mayMatch(raw), "the pre-check must never reject a matching record")
						assert.Equal(t, w.shownKey, got.Key, "%s #%d KEY column", w.eventName, i)
						assert.Equal(t, w.shownObj, got.Object, "%s #%d OBJECT column", w.eventName, i)
					}
				}
			}
		})
	}
}

// The same documented records name another key or another bucket's object
// of the same name: nothing may match.
func TestDocumentedRecordsOfOtherResources(t *testing.T) {
	otherKey := &KeyRef{ID: "0f0e0d0c-0000-4b3a-9c8d-000000000001", ARN: "arn:aws:kms:us-west-2:111122223333:key/0f0e0d0c-0000-4b3a-9c8d-000000000001"}
	otherBucket := &ObjectRef{Bucket: "someone-elses-bucket", Key: "lab-image.png", ARN: "arn:aws:s3:::someone-elses-bucket/lab-image.png"}
	for _, file := range []string{"kms-generatedatakey-by-s3.json", "kms-decrypt-by-s3.json", "s3-putobject-getobject.json", "kms-putkeypolicy.json"} {
		for _, rec := range readDocumented(t, file) {
			q := Query{Key: otherKey, Object: otherBucket, Since: rec.EventTime, Until: rec.EventTime}
			_, ok := NewMatcher(q).Match(&rec)
			assert.False(t, ok, "%s %s", file, rec.EventName)
		}
	}
}
