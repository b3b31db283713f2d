package verify

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/report"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

func TestAnonymousGetCheck(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		public   bool
		want     report.Status
		observed string
	}{
		{"real AWS answer for a public SSE-KMS object", 400, mototest.SigV4RequiredAnswer, true, report.Pass,
			"refused: HTTP 400 InvalidArgument: Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4."},
		{"private object, access denied", 403, mototest.S3AccessDeniedAnswer, false, report.Pass, "refused: HTTP 403 AccessDenied: Access Denied"},
		{"public expected but access denied", 403, mototest.S3AccessDeniedAnswer, true, report.Warn,
			"refused by access control, not by SSE-KMS: HTTP 403 AccessDenied: Access Denied"},
		{"object served (what moto does)", 200, "\x89PNG\r\n\x1a\n....", true, report.Fail,
			"HTTP 200: the object was served to an anonymous caller (12 bytes read)"},
		{"some other 400", 400, `<Error><Code>InvalidRequest</Code><Message>Missing required header</Message></Error>`, true, report.Fail,
			"unexpected answer: HTTP 400 InvalidRequest: Missing required header"},
		{"object missing", 404, `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`, true, report.Fail,
			"unexpected answer: HTTP 404 NoSuchKey: The specified key does not exist."},
		{"redirect to another region is not followed", 301, `<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>`, true, report.Fail,
			"unexpected answer: HTTP 301 PermanentRedirect: The bucket you are attempting to access must be addressed using the specified endpoint."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sawAuth bool
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sawAuth = r.Header.Get("Authorization") != ""
				if tt.status == 301 {
					w.Header().Set("Location", "https://elsewhere.example/")
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()

			c := anonymousGetCheck(context.Background(), NewHTTPClient(), srv.URL+"/lab-image.png", tt.public)

			assert.False(t, sawAuth, "the GET must be anonymous")
			assert.Equal(t, "object.anonymous-get", c.Name)
			assert.Equal(t, tt.want, c.Status)
			assert.Equal(t, tt.observed, c.Observed)
		})
	}
}

func TestAnonymousGetUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/lab-image.png"
	srv.Close()
	c := anonymousGetCheck(context.Background(), NewHTTPClient(), url, true)
	assert.Equal(t, report.Unknown, c.Status, "nothing was seen, so nothing fails")
	assert.Contains(t, c.Observed, "could not GET "+url)
}

// S3 answers a request it throttles with HTTP 503 and the code SlowDown
// (Amazon S3 API Reference, "Error responses"); an anonymous GET is
// throttled like any other.
const slowDown = `<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`

func TestAnonymousGetRetries503(t *testing.T) {
	tests := []struct {
		name         string
		throttled    int
		want         report.Status
		observed     string
		wantRequests int
	}{
		{"two throttles, then S3's answer", 2, report.Pass, "refused: HTTP 400 InvalidArgument", 3},
		{"throttled throughout", 1000, report.Unknown, "AWS throttled the anonymous GET (HTTP 503 SlowDown) 4 times; retry in a minute", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n++
				if n <= tt.throttled {
					w.WriteHeader(http.StatusServiceUnavailable)
					io.WriteString(w, slowDown)
					return
				}
				w.WriteHeader(http.StatusBadRequest)
				io.WriteString(w, mototest.SigV4RequiredAnswer)
			}))
			defer srv.Close()
			r := anonymousRetry{attempts: 4, maxBackoff: time.Millisecond}
			c := r.check(context.Background(), NewHTTPClient(), srv.URL+"/lab-image.png", true)
			assert.Equal(t, tt.want, c.Status)
			assert.Contains(t, c.Observed, tt.observed)
			assert.Equal(t, tt.wantRequests, n)
		})
	}
}

func TestObjectURL(t *testing.T) {
	o := labOutputs()
	assert.Equal(t, o.ObjectURL, (&Verifier{Outputs: o}).objectURL())
	o.ObjectKey = "images/lab image.png"
	assert.Equal(t, "http://127.0.0.1:5000/"+o.BucketName+"/images/lab%20image.png",
		(&Verifier{Outputs: o, Endpoint: "http://127.0.0.1:5000/"}).objectURL())
}
