package account

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
)

// anonymousClient is an S3 client of srv, path-style as with an emulator,
// with signing credentials, which the anonymous GET must not use, and a
// retryer of four attempts.
func anonymousClient(srv *httptest.Server) *s3.Client {
	cfg := aws.Config{Region: "us-west-2", BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}, nil
		}),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxAttempts, o.MaxBackoff = 4, time.Millisecond })
		}}
	return s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
}

func noFailure(t *testing.T) func(error) Field[AnonymousAnswer] {
	return func(err error) Field[AnonymousAnswer] {
		return FailedWith[AnonymousAnswer](&ReadError{Kind: OtherError, Message: err.Error()})
	}
}

// TestGetAnonymously: the GET is unsigned (lab task 4: the object's URL in
// a browser), and keeps S3's status, code and message, and of a served
// object only its length (Amazon S3 API Reference, "Error responses").
func TestGetAnonymously(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   AnonymousAnswer
	}{
		{"AWS's answer for a public SSE-KMS object", 400, awswire.SigV4RequiredAnswer, AnonymousAnswer{Status: 400, Code: "InvalidArgument",
			Message: "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4."}},
		{"private object", 403, awswire.S3AccessDeniedAnswer, AnonymousAnswer{Status: 403, Code: "AccessDenied", Message: "Access Denied"}},
		{"object served (what moto does)", 200, "\x89PNG\r\n\x1a\n....", AnonymousAnswer{Status: 200, Bytes: 12}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sawAuth bool
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sawAuth = r.Header.Get("Authorization") != ""
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			f := anonymousGet(context.Background(), anonymousClient(srv), "mycloudtrailbucket1", "lab-image.png", "u", noFailure(t))
			assert.False(t, sawAuth, "the GET must be anonymous")
			tt.want.URL = "u"
			assert.Equal(t, Value(tt.want), f)
		})
	}
}

// S3 answers a request it throttles with HTTP 503 and the code SlowDown
// (Amazon S3 API Reference, "Error responses"); the anonymous GET is
// retried by the client's retryer like any other call, and a GET throttled
// through every attempt is a read error, not an answer.
func TestGetAnonymouslyRetries503(t *testing.T) {
	tests := []struct {
		name         string
		throttled    int
		want         State
		wantRequests int
	}{
		{"two throttles, then S3's answer", 2, Read, 3},
		{"throttled throughout", 1000, Failed, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n++
				if n <= tt.throttled {
					awswire.WriteThrottled(w, "s3")
					return
				}
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, awswire.SigV4RequiredAnswer)
			}))
			defer srv.Close()
			f := anonymousGet(context.Background(), anonymousClient(srv), "b", "k", "u", noFailure(t))
			assert.Equal(t, tt.want, f.State)
			assert.Equal(t, tt.wantRequests, n)
			if tt.want == Read {
				require.Equal(t, "InvalidArgument", f.Value.Code)
			}
		})
	}
}

func TestObjectURL(t *testing.T) {
	const given = "https://mycloudtrailbucket1.s3.us-west-2.amazonaws.com/lab-image.png"
	assert.Equal(t, given, ObjectURL("", given, "mycloudtrailbucket1", "lab-image.png", "us-west-2"))
	assert.Equal(t, "http://127.0.0.1:5000/mycloudtrailbucket1/images/lab%20image.png",
		ObjectURL("http://127.0.0.1:5000/", given, "mycloudtrailbucket1", "images/lab image.png", "us-west-2"))
	assert.Equal(t, given, ObjectURL("", "", "mycloudtrailbucket1", "lab-image.png", "us-west-2"))
}
