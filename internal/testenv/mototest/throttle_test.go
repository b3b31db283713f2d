package mototest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// At 100% every service's SDK client reads the front's answer as that
// service's throttling error, with the code AWS documents (see
// awswire.WriteThrottled), and labctl classifies it as throttled.
func TestShapesAreReadAsThrottling(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_MAX_ATTEMPTS", "")
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("a throttled request reached the backend: %s", r.URL)
	}))
	defer backend.Close()
	throttle, err := NewThrottle(1, 1)
	require.NoError(t, err)
	srv := NewFront(t, backend.URL, throttle.Answer)
	cfg, err := awsclient.LoadConfig(context.Background(), awsclient.Options{EndpointURL: srv.URL, Retry: awsclient.Retry{MaxAttempts: 1}}, "us-west-2")
	require.NoError(t, err)
	c := awsclient.FromConfig(cfg, srv.URL)
	ctx := context.Background()
	tests := []struct {
		service string
		call    func() error
		code    string // "" where the SDK gets no body (a HEAD)
	}{
		{"s3", func() error {
			_, err := c.S3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String("b")})
			return err
		}, "SlowDown"},
		{"s3", func() error {
			_, err := c.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("b"), Key: aws.String("k")})
			return err
		}, ""},
		{"kms", func() error {
			_, err := c.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("k")})
			return err
		}, "ThrottlingException"},
		{"cloudtrail", func() error {
			_, err := c.CloudTrail.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String("t")})
			return err
		}, "ThrottlingException"},
		{"sts", func() error { _, err := c.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); return err }, "Throttling"},
		{"iam", func() error { _, err := c.IAM.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("u")}); return err }, "Throttling"},
	}
	for _, tt := range tests {
		t.Run(tt.service+" "+tt.code, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			assert.Equal(t, awsclient.KindThrottled, awsclient.Classify(err), "%v", err)
			var apiErr smithy.APIError
			if tt.code != "" && assert.True(t, errors.As(err, &apiErr), "%v", err) {
				assert.Equal(t, tt.code, apiErr.ErrorCode())
			}
		})
	}
	counts := throttle.Counts()
	assert.Equal(t, len(tests), counts.Requests)
	assert.Equal(t, len(tests), counts.Throttled)
	assert.Equal(t, map[string]int{"s3": 2, "kms": 1, "cloudtrail": 1, "sts": 1, "iam": 1}, counts.ByService)
}

// The fraction is kept, and a seed repeats its choices whatever the order
// of the requests.
func TestFractionAndSeed(t *testing.T) {
	run := func(seed uint64, paths []string) []bool {
		f, err := NewThrottle(0.3, seed)
		require.NoError(t, err)
		var out []bool
		for _, p := range paths {
			out = append(out, f.Answer(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, p, nil)))
		}
		return out
	}
	var paths []string
	for i := range 2000 {
		paths = append(paths, "/bucket/key"+time.Duration(i).String())
	}
	first := run(7, paths)
	n := 0
	for _, th := range first {
		if th {
			n++
		}
	}
	assert.InDelta(t, 600, n, 90, "about 30%% of 2000 requests (3 standard deviations is about 60)")
	reversed := make([]string, len(paths))
	for i, p := range paths {
		reversed[len(paths)-1-i] = p
	}
	again := run(7, reversed)
	for i := range paths {
		assert.Equal(t, first[i], again[len(paths)-1-i], "request %s", paths[i])
	}
}

func TestNewThrottleRefusesABadFraction(t *testing.T) {
	_, err := NewThrottle(1.5, 1)
	assert.EqualError(t, err, "throttle front fraction 1.5: must be from 0 to 1")
}
