package events

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/cloudtrailtest"
)

var (
	testLab = cloudtrailtest.Lab{AccountID: "111122223333", Region: "us-west-2", Partition: "aws",
		KeyID: "1234abcd-12ab-34cd-56ef-1234567890ab", Bucket: "mycloudtrailbucket20261126175000000000000001",
		ObjectKey: "lab-image.png", UserName: "AWSLabsUser-abc", SourceIP: "203.0.113.10"}
	t0 = time.Date(2026, 11, 26, 17, 52, 3, 0, time.UTC)
)

func labKey() *KeyRef {
	return &KeyRef{ID: testLab.KeyID, ARN: testLab.KeyARN(),
		Aliases: []string{"alias/myFirstKey", "arn:aws:kms:us-west-2:111122223333:alias/myFirstKey"}}
}

func labObject() *ObjectRef {
	return &ObjectRef{Bucket: testLab.Bucket, Key: testLab.ObjectKey, ARN: testLab.ObjectARN()}
}

// decodeRecord round-trips a generated record through JSON, as it would
// come out of a log file.
func decodeRecord(t *testing.T, r cloudtrailtest.Record) (Record, []byte) {
	t.Helper()
	raw, err := json.Marshal(r)
	require.NoError(t, err)
	var rec Record
	require.NoError(t, json.Unmarshal(raw, &rec))
	return rec, raw
}

func TestMatcher(t *testing.T) {
	other := testLab.Elsewhere("0f0e0d0c-0000-4b3a-9c8d-000000000001", "someone-elses-bucket")
	viaAlias := testLab.GenerateDataKey(t0, "e-alias")
	viaAlias["requestParameters"].(cloudtrailtest.Record)["keyId"] = "alias/myFirstKey"
	delete(viaAlias, "resources")
	bareID := testLab.GenerateDataKey(t0, "e-bare")
	bareID["requestParameters"].(cloudtrailtest.Record)["keyId"] = testLab.KeyID
	delete(bareID, "resources")
	createKey := cloudtrailtest.Record{
		"eventTime": t0.Format(time.RFC3339), "eventSource": "kms.amazonaws.com", "eventName": "CreateKey", "eventID": "e-create",
		"requestParameters": cloudtrailtest.Record{"keyUsage": "ENCRYPT_DECRYPT"},
		"responseElements":  cloudtrailtest.Record{"keyMetadata": cloudtrailtest.Record{"keyId": testLab.KeyID, "arn": testLab.KeyARN()}},
	}
	otherBucketSameKeyName := other.GetObject(t0, "e-other-bucket")
	otherBucketSameKeyName["requestParameters"].(cloudtrailtest.Record)["key"] = testLab.ObjectKey

	tests := []struct {
		name       string
		record     cloudtrailtest.Record
		key        *KeyRef
		object     *ObjectRef
		wantMatch  bool
		wantKey    string
		wantObject string
	}{
		{"GenerateDataKey by key (resources, keyId)", testLab.GenerateDataKey(t0, "e1"), labKey(), nil, true, testLab.KeyID, "lab-image.png"},
		{"GenerateDataKey by object (aws:s3:arn context)", testLab.GenerateDataKey(t0, "e1"), nil, labObject(), true, testLab.KeyID, "lab-image.png"},
		{"Decrypt names the key only in resources", testLab.Decrypt(t0, "e2"), labKey(), nil, true, testLab.KeyID, "lab-image.png"},
		{"PutObject names the key in request and response", testLab.PutObject(t0, "e3"), labKey(), nil, true, testLab.KeyID, "lab-image.png"},
		{"PutObject by object key", testLab.PutObject(t0, "e3"), nil, labObject(), true, testLab.KeyID, "lab-image.png"},
		{"GetObject does not name the key", testLab.GetObject(t0, "e4"), labKey(), nil, false, "", ""},
		{"GetObject by object", testLab.GetObject(t0, "e4"), nil, labObject(), true, "", "lab-image.png"},
		{"keyId given as alias", viaAlias, labKey(), nil, true, "alias/myFirstKey", "lab-image.png"},
		{"keyId given as bare key ID", bareID, labKey(), nil, true, testLab.KeyID, "lab-image.png"},
		{"CreateKey names the key in responseElements", createKey, labKey(), nil, true, "", ""},
		{"another key's Decrypt", other.Decrypt(t0, "e5"), labKey(), labObject(), false, "", ""},
		{"same object name in another bucket", otherBucketSameKeyName, labKey(), labObject(), false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, raw := decodeRecord(t, tt.record)
			m := NewMatcher(Query{Key: tt.key, Object: tt.object, Since: t0.Add(-time.Hour), Until: t0.Add(time.Hour)})
			got, ok := m.Match(&rec)
			require.Equal(t, tt.wantMatch, ok)
			if ok {
				assert.True(t, m.MayMatch(raw), "the pre-check must never reject a matching record")
				assert.Equal(t, tt.wantKey, got.Key)
				assert.Equal(t, tt.wantObject, got.Object)
			}
		})
	}
}

func TestMatcherWindowAndEventNames(t *testing.T) {
	rec, _ := decodeRecord(t, testLab.Decrypt(t0, "e1"))
	tests := []struct {
		name  string
		q     Query
		match bool
	}{
		{"inside the window", Query{Since: t0, Until: t0}, true},
		{"before since", Query{Since: t0.Add(time.Second), Until: t0.Add(time.Hour)}, false},
		{"after until", Query{Since: t0.Add(-time.Hour), Until: t0.Add(-time.Second)}, false},
		{"event name, any case", Query{Since: t0, Until: t0, EventNames: []string{"GenerateDataKey", "decrypt"}}, true},
		{"other event names", Query{Since: t0, Until: t0, EventNames: []string{"Encrypt"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Key = labKey()
			_, ok := NewMatcher(tt.q).Match(&rec)
			assert.Equal(t, tt.match, ok)
		})
	}
}

func TestMayMatchSkipsUnrelatedRecords(t *testing.T) {
	m := NewMatcher(Query{Key: labKey(), Object: labObject(), Since: t0, Until: t0})
	// Another bucket's object of the same name passes the cheap pre-check;
	// the full match then rules it out.
	rec, raw := decodeRecord(t, testLab.Elsewhere("0f0e0d0c-0000-4b3a-9c8d-000000000001", "app-data").Decrypt(t0, "e"))
	assert.True(t, m.MayMatch(raw))
	_, ok := m.Match(&rec)
	assert.False(t, ok)

	_, raw = decodeRecord(t, cloudtrailtest.Record{"eventName": "DescribeInstances", "eventID": "x"})
	assert.False(t, m.MayMatch(raw))
}

func TestNeedles(t *testing.T) {
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"key ID and alias name", Query{Key: labKey()}, []string{testLab.KeyID, "myFirstKey", "myFirstKey"}},
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
		assert.Equal(t, tt.want, tt.id.Principal())
	}
}
