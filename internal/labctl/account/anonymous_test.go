package account

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// TestGetAnonymously: the GET carries no credentials, follows no redirect,
// and keeps S3's status, code and message, and of a served object only its
// length (Amazon S3 API Reference, "Error responses").
func TestGetAnonymously(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   AnonymousAnswer
	}{
		{"AWS's answer for a public SSE-KMS object", 400, mototest.SigV4RequiredAnswer, AnonymousAnswer{Status: 400, Code: "InvalidArgument",
			Message: "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4."}},
		{"object served (what moto does)", 200, "\x89PNG\r\n\x1a\n....", AnonymousAnswer{Status: 200, Bytes: 12}},
		{"redirect to another region is not followed", 301, `<Error><Code>PermanentRedirect</Code><Message>elsewhere</Message></Error>`,
			AnonymousAnswer{Status: 301, Code: "PermanentRedirect", Message: "elsewhere"}},
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
			url := srv.URL + "/lab-image.png"
			f := DefaultAnonymousRetry().GetAnonymously(context.Background(), NewHTTPClient(), url, time.Now)
			assert.False(t, sawAuth, "the GET must be anonymous")
			tt.want.URL = url
			assert.Equal(t, Value(tt.want), f)
		})
	}
}

func TestAnonymousGetUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL + "/lab-image.png"
	srv.Close()
	f := DefaultAnonymousRetry().GetAnonymously(context.Background(), NewHTTPClient(), url, time.Now)
	assert.Equal(t, Failed, f.State, "nothing was seen, so nothing is a value")
	assert.Equal(t, Unreachable, f.Error.Kind)
	assert.Contains(t, f.Error.Message, "could not GET "+url)
}

// S3 answers a request it throttles with HTTP 503 and the code SlowDown
// (Amazon S3 API Reference, "Error responses"); an anonymous GET is
// throttled like any other.
const slowDown = `<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`

func TestAnonymousGetRetries503(t *testing.T) {
	tests := []struct {
		name         string
		throttled    int
		want         State
		observed     string
		wantRequests int
	}{
		{"two throttles, then S3's answer", 2, Read, "InvalidArgument", 3},
		{"throttled throughout", 1000, Failed, "AWS throttled the anonymous GET (HTTP 503 SlowDown) 4 times; retry in a minute", 4},
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
			r := AnonymousRetry{Attempts: 4, MaxBackoff: time.Millisecond}
			f := r.GetAnonymously(context.Background(), NewHTTPClient(), srv.URL+"/lab-image.png", time.Now)
			assert.Equal(t, tt.want, f.State)
			if f.Error != nil {
				assert.Contains(t, f.Error.Message, tt.observed)
			} else {
				assert.Equal(t, tt.observed, f.Value.Code)
			}
			assert.Equal(t, tt.wantRequests, n)
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
