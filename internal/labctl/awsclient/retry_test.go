package awsclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
)

// kmsStub answers kms:DescribeKey: the first `bad` requests with answer,
// the rest with a key. KMS's throttling shape is HTTP 400 with
// {"__type":"ThrottlingException"} (AWS KMS API Reference, "Common Errors").
func kmsStub(t *testing.T, bad int64, answer func(http.ResponseWriter)) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= bad {
			answer(w)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write([]byte(`{"KeyMetadata":{"KeyId":"k","Arn":"arn:aws:kms:us-west-2:111122223333:key/k"}}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func throttleKMS(w http.ResponseWriter) { awswire.WriteThrottled(w, "kms") }

func htmlPage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte("<!doctype html><title>500 Internal Server Error</title>"))
}

// cutOff answers 200 and ends the connection part-way through the body, as
// an answer whose connection is lost looks to the client.
func cutOff(w http.ResponseWriter) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 80\r\n\r\n{\"KeyMetadata\":")
	_ = buf.Flush()
}

func TestRetries(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_MAX_ATTEMPTS", "")
	// Short waits keep the test fast; the attempts are labctl's own.
	fast := Retry{MaxBackoff: time.Millisecond}
	tests := []struct {
		name         string
		retry        Retry
		bad          int64
		answer       func(http.ResponseWriter)
		wantRequests int64
		wantKind     Kind // KindOther: the call succeeds
	}{
		{"nine throttles, then the answer: the tenth attempt succeeds", fast, 9, throttleKMS, 10, KindOther},
		{"throttled throughout: 10 attempts, then throttled", fast, 1000, throttleKMS, 10, KindThrottled},
		{"a 503 is retried too", fast, 3, func(w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) }, 4, KindOther},
		{"an HTML page is not retried: the endpoint lacks the API", fast, 1000, htmlPage, 1, KindUnsupported},
		{"an answer cut off mid-body is retried: the read failed, the endpoint did answer", fast, 1, cutOff, 2, KindOther},
		{"the call's budget stops the retries", Retry{MaxAttempts: 1000, MaxBackoff: 20 * time.Millisecond, CallBudget: 200 * time.Millisecond}, 100000, throttleKMS, -1, KindTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, n := kmsStub(t, tt.bad, tt.answer)
			cfg, err := LoadConfig(context.Background(), Options{EndpointURL: srv.URL, Retry: tt.retry}, "us-west-2")
			require.NoError(t, err)
			_, err = kms.NewFromConfig(cfg).DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String("k")})
			if tt.wantKind == KindOther {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Equal(t, tt.wantKind, Classify(err), "%v", err)
			}
			if tt.wantRequests >= 0 {
				assert.Equal(t, tt.wantRequests, n.Load())
			} else {
				assert.Greater(t, n.Load(), int64(1), "retried until the budget ran out")
			}
		})
	}
}

func TestAWSMaxAttemptsOverridesTheDefault(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_MAX_ATTEMPTS", "2")
	srv, n := kmsStub(t, 1000, throttleKMS)
	cfg, err := LoadConfig(context.Background(), Options{EndpointURL: srv.URL, Retry: Retry{MaxBackoff: time.Millisecond}}, "us-west-2")
	require.NoError(t, err)
	_, err = kms.NewFromConfig(cfg).DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String("k")})
	assert.Equal(t, KindThrottled, Classify(err))
	assert.Equal(t, int64(2), n.Load())
	assert.Contains(t, Explain(err, Target{What: "KMS key k"}).Error(), "after 2 attempts); retry in a minute")
}

// Of the answers the SDK cannot decode, only one whose body was cut off is
// worth asking again; the others are not AWS responses and will not become
// one.
func TestUndecodableRetriesACutOffBodyOnly(t *testing.T) {
	decode := func(err error) error {
		return &smithy.DeserializationError{Err: fmt.Errorf("failed to decode response body, %w", err)}
	}
	tests := []struct {
		name string
		err  error
		want aws.Ternary
	}{
		{"an HTML page", decode(errors.New("invalid character '<' looking for beginning of value")), aws.FalseTernary},
		{"the connection closed under the body", decode(&net.OpError{Op: "read", Net: "tcp", Err: net.ErrClosed}), aws.TrueTernary},
		{"the connection reset", decode(&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), aws.TrueTernary},
		{"the body ended early", decode(io.ErrUnexpectedEOF), aws.TrueTernary},
		{"not a decoding failure: the other rules decide", errors.New("other"), aws.UnknownTernary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, undecodable(tt.err))
		})
	}
}
