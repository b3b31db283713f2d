package awswire

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each answer is read by aws-sdk-go-v2, the client labctl uses, as the
// error AWS documents: its HTTP status, code and message (the sources are
// cited beside each writer). The request it answers is signed for the
// service and region ScopeOf reads.
func TestSDKReadsEachAnswer(t *testing.T) {
	ctx := context.Background()
	var (
		write func(http.ResponseWriter)
		seen  Scope
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = ScopeOf(r)
		write(w)
	}))
	defer srv.Close()
	cfg := aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL), Retryer: func() aws.Retryer { return aws.NopRetryer{} },
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	getPolicy := func() error {
		_, err := s3c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("b")})
		return err
	}
	describeKey := func() error {
		_, err := kms.NewFromConfig(cfg).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("k")})
		return err
	}
	whoAmI := func() error {
		_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	}
	getUser := func() error {
		_, err := iam.NewFromConfig(cfg).GetUser(ctx, &iam.GetUserInput{UserName: aws.String("u")})
		return err
	}
	tests := []struct {
		name    string
		write   func(http.ResponseWriter)
		call    func() error
		service string
		status  int
		code    string
		message string
	}{
		{"S3 error", func(w http.ResponseWriter) {
			WriteS3Error(w, 404, S3Error{Code: "NoSuchBucketPolicy", Message: "The bucket policy does not exist"})
		}, getPolicy, "s3", 404, "NoSuchBucketPolicy", "The bucket policy does not exist"},
		{"S3 access denied", WriteS3AccessDenied, getPolicy, "s3", 403, "AccessDenied", "Access Denied"},
		{"S3 Signature Version 4 required", WriteSigV4Required, getPolicy, "s3", 400, "InvalidArgument",
			"Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4."},
		{"S3 throttled", func(w http.ResponseWriter) { WriteThrottled(w, "s3") }, getPolicy, "s3", 503, "SlowDown", "Please reduce your request rate."},
		{"JSON access denied", func(w http.ResponseWriter) {
			WriteJSONAccessDenied(w, "User: arn:aws:iam::111122223333:user/Alice is not authorized")
		},
			describeKey, "kms", 400, "AccessDeniedException", "User: arn:aws:iam::111122223333:user/Alice is not authorized"},
		{"JSON throttled", func(w http.ResponseWriter) { WriteThrottled(w, "kms") }, describeKey, "kms", 400, "ThrottlingException", "Rate exceeded"},
		{"query access denied", func(w http.ResponseWriter) { WriteQueryAccessDenied(w, STSNamespace, "not authorized: a & b <c>") },
			whoAmI, "sts", 403, "AccessDenied", "not authorized: a & b <c>"},
		{"query throttled", func(w http.ResponseWriter) { WriteThrottled(w, "iam") }, getUser, "iam", 400, "Throttling", "Rate exceeded"},
		{"query error without a namespace", func(w http.ResponseWriter) {
			WriteQueryError(w, 404, "", "NoSuchEntity", "The user with name u cannot be found.")
		}, getUser, "iam", 404, "NoSuchEntity", "The user with name u cannot be found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			write = tt.write
			err := tt.call()
			var apiErr smithy.APIError
			require.True(t, errors.As(err, &apiErr), "%v", err)
			assert.Equal(t, tt.code, apiErr.ErrorCode())
			assert.Equal(t, tt.message, apiErr.ErrorMessage())
			var respErr *smithyhttp.ResponseError
			require.True(t, errors.As(err, &respErr), "%v", err)
			assert.Equal(t, tt.status, respErr.HTTPStatusCode())
			assert.Equal(t, Scope{AccessKey: "AKIDEXAMPLE", Date: seen.Date, Region: "eu-west-1", Service: tt.service}, seen)
			assert.Len(t, seen.Date, len("20261130"))
		})
	}
}

// An unsigned request, such as lab task 4's anonymous GET, has no scope.
func TestScopeOfUnsigned(t *testing.T) {
	assert.Equal(t, Scope{}, ScopeOf(httptest.NewRequest(http.MethodGet, "/bucket/key", nil)))
}
