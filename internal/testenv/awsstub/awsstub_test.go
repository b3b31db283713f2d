package awsstub

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recorder is a testing.TB that keeps the errors the registry reports.
type recorder struct {
	testing.TB
	mu       sync.Mutex
	errors   []string
	cleanups []func()
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recorder) end() {
	for _, f := range r.cleanups {
		f()
	}
}

// Each protocol's call is matched by its service and operation, and
// answered in the SDK's terms.
func TestMatchesEachProtocol(t *testing.T) {
	ctx := context.Background()
	reg := New(t)
	reg.Register(Query("sts", "GetCallerIdentity"), Identity("111122223333", "arn:aws:iam::111122223333:user/Alice"))
	reg.Register(Query("iam", "GetRole"), queryError(404, "NoSuchEntity", "The role with name R cannot be found."))
	reg.Register(JSON("kms", "DescribeKey"), JSONResponse(map[string]any{"KeyMetadata": map[string]any{"KeyId": "k", "KeyState": "Enabled"}}))
	reg.Register(JSON("cloudtrail", "GetTrail"), JSONError(400, "TrailNotFoundException", "Unknown trail"))
	reg.Register(S3("HEAD", "/b/o.png"), Header(200, map[string]string{"x-amz-server-side-encryption": "aws:kms"}))
	reg.Register(S3("GET", "/b?list-type=2&prefix=AWSLogs/"), XMLResponse(200, `<ListBucketResult><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>`))
	c := reg.clients("us-west-2")

	id, err := c.WhoAmI(ctx)
	require.NoError(t, err)
	assert.Equal(t, "111122223333", id.Account)

	_, err = c.IAM.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("R")})
	var apiErr smithy.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "NoSuchEntity", apiErr.ErrorCode())

	key, err := c.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("k")})
	require.NoError(t, err)
	assert.Equal(t, "Enabled", string(key.KeyMetadata.KeyState))

	_, err = c.CloudTrail.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String("myTrail")})
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "TrailNotFoundException", apiErr.ErrorCode())

	head, err := c.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("b"), Key: aws.String("o.png")})
	require.NoError(t, err)
	assert.Equal(t, "aws:kms", string(head.ServerSideEncryption))

	_, err = c.S3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("b"), Prefix: aws.String("AWSLogs/")})
	require.NoError(t, err)
}

// Like httpmock: a request no stub matches, and a stub never called, fail
// the test, each named.
func TestReportsUnmatchedAndUnused(t *testing.T) {
	rec := &recorder{TB: t}
	reg := New(rec)
	reg.Register(JSON("kms", "GetKeyPolicy"), JSONResponse(map[string]any{"Policy": "{}"}))
	reg.Register(JSON("kms", "DescribeKey"), JSONResponse(map[string]any{"KeyMetadata": map[string]any{"KeyId": "k"}}))
	c := reg.clients("us-west-2")
	_, err := c.KMS.DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String("k")})
	require.NoError(t, err)
	// A stub answers once: the second call is unmatched.
	_, err = c.KMS.DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String("k")})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "awsstub: no stub for kms DescribeKey")
	_, err = c.S3.HeadBucket(context.Background(), &s3.HeadBucketInput{Bucket: aws.String("b")})
	require.Error(t, err)
	rec.end()
	assert.Equal(t, []string{
		"awsstub: unexpected request kms DescribeKey",
		"awsstub: unexpected request s3 HEAD /b",
		"awsstub: stub kms GetKeyPolicy was never called",
	}, rec.errors)
}
