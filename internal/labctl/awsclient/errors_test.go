package awsclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
)

// opErr wraps err the way the SDK reports a failed call.
func opErr(service, op string, err error) error {
	return &smithy.OperationError{ServiceID: service, OperationName: op, Err: err}
}

func apiErr(code, msg string) error {
	return &smithy.GenericAPIError{Code: code, Message: msg}
}

func httpErr(status int) error {
	return &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: errors.New("http error")}
}

func TestExplain(t *testing.T) {
	target := Target{What: "KMS key 1234abcd", Region: "us-west-2", Account: "111122223333", Caller: "arn:aws:iam::111122223333:user/AWSLabsUser-abc"}
	tests := []struct {
		name string
		err  error
		kind Kind
		want string
	}{
		{"not found", opErr("KMS", "DescribeKey", apiErr("NotFoundException", "Key 'arn' does not exist")), KindNotFound,
			"KMS key 1234abcd not found (account 111122223333, us-west-2): check that the outputs belong to this account and region (`pulumi stack select`), or run `pulumi up`"},
		{"access denied, with the IAM action", opErr("S3", "ListObjectsV2", apiErr("AccessDenied", "Access Denied")), KindAccessDenied,
			"access denied for arn:aws:iam::111122223333:user/AWSLabsUser-abc on s3:ListBucket reading KMS key 1234abcd (account 111122223333, us-west-2): use the lab account's administrator profile (--profile) or grant s3:ListBucket"},
		{"HEAD 404 has no error code", opErr("S3", "HeadObject", httpErr(404)), KindNotFound, "KMS key 1234abcd not found"},
		{"HEAD 403 has no error code", opErr("S3", "HeadBucket", httpErr(403)), KindAccessDenied, "access denied for arn:aws:iam::111122223333:user/AWSLabsUser-abc on s3:ListBucket reading"},
		{"expired token", opErr("STS", "GetCallerIdentity", apiErr("ExpiredToken", "The security token included in the request is expired")), KindBadCredentials,
			"AWS rejected the credentials while reading KMS key 1234abcd (sts:GetCallerIdentity): ExpiredToken: The security token included in the request is expired; refresh them (`aws configure`, `aws sso login`) or pick another profile (--profile)"},
		{"bucket in another region", opErr("S3", "GetBucketPolicy", apiErr("PermanentRedirect", "The bucket you are attempting to access must be addressed using the specified endpoint.")), KindWrongRegion,
			"KMS key 1234abcd is not in region us-west-2 (PermanentRedirect: The bucket you are attempting to access must be addressed using the specified endpoint.): pass the stack's region, or drop --region"},
		{"connection refused", opErr("KMS", "DescribeKey", &url.Error{Op: "Post", URL: "http://127.0.0.1:1", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}), KindUnreachable,
			"cannot reach AWS while reading KMS key 1234abcd: connection refused; check the network or --endpoint-url"},
		{"anything else keeps the API message", opErr("CloudTrail", "GetTrail", apiErr("InvalidTrailNameException", "bad name")), KindOther,
			"reading KMS key 1234abcd failed (cloudtrail:GetTrail): InvalidTrailNameException: bad name"},
		// The throttling shapes of each service (see throttleCodes for the
		// AWS references); the SDK wraps the last one in MaxAttemptsError.
		{"CloudTrail throttled", opErr("CloudTrail", "GetEventSelectors", &retry.MaxAttemptsError{Attempt: 10, Err: apiErr("ThrottlingException", "Rate exceeded")}), KindThrottled,
			"AWS throttled this read of KMS key 1234abcd (cloudtrail:GetEventSelectors: ThrottlingException: Rate exceeded, after 10 attempts); retry in a minute"},
		{"S3 slow down", opErr("S3", "GetBucketPolicy", apiErr("SlowDown", "Please reduce your request rate.")), KindThrottled,
			"AWS throttled this read of KMS key 1234abcd (s3:GetBucketPolicy: SlowDown: Please reduce your request rate., after its retries); retry in a minute"},
		{"S3 HEAD slow down has no body", opErr("S3", "HeadObject", httpErr(503)), KindThrottled, "AWS throttled this read of KMS key 1234abcd (s3:GetObject: http error"},
		{"IAM throttled", opErr("IAM", "GetUser", apiErr("Throttling", "Rate exceeded")), KindThrottled, "AWS throttled this read of KMS key 1234abcd (iam:GetUser: Throttling: Rate exceeded"},
		{"KMS server error", opErr("KMS", "GetKeyPolicy", apiErr("KMSInternalException", "")), KindServerError,
			"AWS failed this read of KMS key 1234abcd with a server error (kms:GetKeyPolicy: KMSInternalException, after its retries); retry in a few minutes"},
		{"bare 500", opErr("KMS", "GetKeyPolicy", httpErr(500)), KindServerError, "AWS failed this read of KMS key 1234abcd with a server error (kms:GetKeyPolicy: HTTP 500"},
		{"call budget ran out", opErr("KMS", "DescribeKey", context.DeadlineExceeded), KindTimeout,
			"this read of KMS key 1234abcd timed out (kms:DescribeKey, after the call's time budget); retry in a few minutes"},
		{"an HTML page instead of JSON", opErr("CloudTrail", "LookupEvents", &smithyhttp.ResponseError{Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 500}},
			Err: &smithy.DeserializationError{Err: errors.New("failed to decode response body, invalid character '<' looking for beginning of value")}}), KindUnsupported,
			"cloudtrail:LookupEvents is not supported by this endpoint: it answered HTTP 500 for KMS key 1234abcd with a body that is not an AWS response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.kind, Classify(tt.err))
			got := Explain(fmt.Errorf("wrapped: %w", tt.err), target)
			assert.True(t, strings.HasPrefix(got.Error(), tt.want), "got  %s\nwant %s", got, tt.want)
			assert.NotContains(t, got.Error(), "\n")
			assert.ErrorIs(t, got, tt.err, "the cause stays reachable")
			assert.NotContains(t, got.Error(), "invalid character")
			assert.Equal(t, tt.kind != KindNotFound, tt.kind.ReadFailed(), "only not-found is an answer about the account")
		})
	}
}

func TestExplainKeepsOwnErrorsAndCancellation(t *testing.T) {
	own := &Error{Msg: "already explained"}
	assert.Same(t, own, Explain(own, Target{}))
	assert.Equal(t, "interrupted", Explain(fmt.Errorf("x: %w", context.Canceled), Target{}).Error())
	assert.Nil(t, Explain(nil, Target{}))
}

func TestCheckAccount(t *testing.T) {
	id := Identity{Account: "123456789012", ARN: "arn:aws:iam::123456789012:user/someone"}
	assert.NoError(t, id.CheckAccount("123456789012"))
	assert.EqualError(t, id.CheckAccount("111122223333"),
		"wrong account: the credentials are for account 123456789012 (arn:aws:iam::123456789012:user/someone) but the stack is in account 111122223333; use that account's profile (--profile or AWS_PROFILE)")
}

func TestNewRefusesAnotherRegion(t *testing.T) {
	_, err := New(context.Background(), Options{Region: "eu-west-1"}, "us-west-2")
	assert.EqualError(t, err, `wrong region: --region eu-west-1, but the stack's key, bucket and trail are in us-west-2 (outputs "region"); drop --region or pass --region us-west-2`)
}

func TestNewWithoutCredentials(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("AWS_CONFIG_FILE", home+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", home+"/credentials")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "")
	t.Setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "")

	_, err := New(context.Background(), Options{}, "us-west-2")
	assert.ErrorContains(t, err, "no AWS credentials found")

	_, err = New(context.Background(), Options{Profile: "lab-acct-07"}, "us-west-2")
	assert.EqualError(t, err, "AWS profile \"lab-acct-07\" not found in the shared config or credentials files; check the name with `aws configure list-profiles`")
}

func TestNewWithEndpointUsesPathStyle(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	c, err := New(context.Background(), Options{EndpointURL: "http://127.0.0.1:5000/"}, "us-west-2")
	assert.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:5000", c.Endpoint)
	assert.Equal(t, "us-west-2", c.Region)
	assert.True(t, c.S3.Options().UsePathStyle)
}

// Issue 23: one attempt is "1 attempt", not "1 attempts" (AWS_MAX_ATTEMPTS=1
// turns retries off: AWS SDKs and Tools Reference Guide, "Retry behavior").
func TestAttemptsPlural(t *testing.T) {
	throttled := &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded"}
	for n, want := range map[int]string{1: "after 1 attempt)", 2: "after 2 attempts)"} {
		err := &retry.MaxAttemptsError{Attempt: n, Err: throttled}
		assert.Contains(t, Explain(err, Target{What: "KMS key k"}).Error(), want)
	}
}
