package account

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
)

// s3Answer is how a fake S3 answers one subresource: status and XML body.
type s3Answer struct {
	status int
	body   string
}

func s3Fail(status int, code string) s3Answer {
	return s3Answer{status, awswire.S3Error{Code: code, Message: code}.Body()}
}

// TestReadBucketLean: clean reads of a prefix bucket its tags, its policy
// and what emptying it deletes, in the bucket's own region. NoSuchTagSet
// and NoSuchBucketPolicy are values (no tags, no policy: Amazon S3 API
// Reference, GetBucketTagging and GetBucketPolicy); NoSuchBucket says the
// bucket is gone; anything else is a classified read error, never "not
// there".
func TestReadBucketLean(t *testing.T) {
	const policy = `{"Version":"2012-10-17","Statement":[]}`
	// Amazon S3 API Reference, ListObjectVersions: Version carries Size,
	// DeleteMarker none.
	versions := s3Answer{200, `<ListVersionsResult><Name>b</Name><IsTruncated>false</IsTruncated>` +
		`<Version><Key>AWSLogs/a.json.gz</Key><VersionId>1</VersionId><Size>1000</Size></Version>` +
		`<Version><Key>Eiffel.jpg</Key><VersionId>2</VersionId><Size>24</Size></Version>` +
		`<DeleteMarker><Key>Eiffel.jpg</Key><VersionId>3</VersionId></DeleteMarker></ListVersionsResult>`}
	tagged := s3Answer{200, `<Tagging><TagSet><Tag><Key>kms-lab:stack</Key><Value>dev</Value></Tag></TagSet></Tagging>`}
	tests := []struct {
		name    string
		answers map[string]s3Answer // by subresource
		check   func(t *testing.T, b Bucket)
	}{
		{"read", map[string]s3Answer{"tagging": tagged, "policy": {200, policy}, "versions": versions}, func(t *testing.T, b Bucket) {
			assert.Equal(t, NotRead, b.Exists.State, "no HeadBucket")
			assert.Equal(t, Value([]Tag{{Key: "kms-lab:stack", Value: "dev"}}), b.Tags)
			assert.Equal(t, Value(policy), b.Policy)
			assert.Equal(t, Value(Contents{Versions: 2, DeleteMarkers: 1, Bytes: 1024}), b.Contents)
			assert.Equal(t, Value(3), b.Versions)
		}},
		{"no tags, no policy", map[string]s3Answer{"tagging": s3Fail(404, "NoSuchTagSet"), "policy": s3Fail(404, "NoSuchBucketPolicy"), "versions": versions},
			func(t *testing.T, b Bucket) {
				assert.Equal(t, Value([]Tag{}), b.Tags)
				assert.Equal(t, Absent[string](), b.Policy)
				assert.True(t, b.Contents.OK())
			}},
		{"gone since the listing", map[string]s3Answer{"tagging": s3Fail(404, "NoSuchBucket")}, func(t *testing.T, b Bucket) {
			assert.Equal(t, Absent[bool](), b.Exists)
		}},
		{"tags denied", map[string]s3Answer{"tagging": s3Fail(403, "AccessDenied"), "policy": {200, policy}, "versions": versions}, func(t *testing.T, b Bucket) {
			assert.True(t, b.Tags.Failed())
			assert.Equal(t, Denied, b.Tags.Error.Kind)
			assert.Contains(t, b.Tags.Error.Message, "mycloudtrailbucket10619")
		}},
		{"versions throttled", map[string]s3Answer{"tagging": tagged, "policy": {200, policy}, "versions": s3Fail(503, "SlowDown")}, func(t *testing.T, b Bucket) {
			assert.True(t, b.Contents.Failed(), "a failed count is not an empty bucket")
			assert.Equal(t, Throttled, b.Contents.Error.Kind)
			assert.True(t, b.Versions.Failed())
		}},
		{"policy fails on the server", map[string]s3Answer{"tagging": tagged, "policy": s3Fail(500, "InternalError"), "versions": versions}, func(t *testing.T, b Bucket) {
			assert.True(t, b.Policy.Failed(), "a failed policy read is not \"no policy\"")
			assert.Equal(t, ServerError, b.Policy.Error.Kind)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				mu      sync.Mutex
				regions = map[string]bool{}
			)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				regions[awswire.ScopeOf(r).Region] = true
				mu.Unlock()
				for sub, a := range tt.answers {
					if r.URL.Query().Has(sub) {
						w.WriteHeader(a.status)
						_, _ = io.WriteString(w, a.body)
						return
					}
				}
				t.Errorf("unexpected request %s %s", r.Method, r.URL)
				w.WriteHeader(400)
			}))
			defer srv.Close()
			cfg := aws.Config{Region: "us-west-2", BaseEndpoint: aws.String(srv.URL), Retryer: func() aws.Retryer { return aws.NopRetryer{} },
				Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
			o := &Observer{Clients: awsclient.FromConfig(cfg, srv.URL), Identity: awsclient.Identity{Account: "111122223333"}}
			r := Reads{Tags: true, Versions: true, Contents: true, Skip: Skip{BucketSettings: true}}
			b := o.readBucket(context.Background(), "mycloudtrailbucket10619", "eu-west-1", r, false, "")
			assert.Equal(t, map[string]bool{"eu-west-1": true}, regions, "a bucket is read in its own region")
			tt.check(t, b)
		})
	}
}
