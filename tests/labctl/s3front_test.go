package labctl_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
)

// awsSigV4Answer is what Amazon S3 answers, with HTTP 400, to an unsigned
// GET of an SSE-KMS object. moto serves the object instead.
const awsSigV4Answer = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InvalidArgument</Code><Message>Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.</Message><ArgumentName>Authorization</ArgumentName><ArgumentValue>null</ArgumentValue><RequestId>7Q5T2D3K9Z8X1V0B</RequestId><HostId>Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4</HostId></Error>`

// awsFront sits in front of moto and adds the AWS behaviours moto lacks:
// S3's refusal of unsigned GETs of SSE-KMS objects, and access-denied
// answers for chosen calls (moto does not enforce IAM or bucket policies
// for signed requests). Everything else is passed to moto unchanged.
type awsFront struct {
	*httptest.Server
	// deny answers matching requests with the service's AccessDenied error.
	deny func(r *http.Request) (service string, ok bool)
}

func newAWSFront(t *testing.T, motoURL string) *awsFront {
	t.Helper()
	target, err := url.Parse(motoURL)
	if err != nil {
		t.Fatal(err)
	}
	f := &awsFront{}
	proxy := httputil.NewSingleHostReverseProxy(target)
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.deny != nil {
			if service, ok := f.deny(r); ok {
				writeAccessDenied(w, service)
				return
			}
		}
		if r.Method == http.MethodGet && unsigned(r) {
			f.anonymousGet(w, r, proxy)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func unsigned(r *http.Request) bool {
	return r.Header.Get("Authorization") == "" && r.URL.Query().Get("X-Amz-Signature") == ""
}

// anonymousGet asks moto first, so access control still decides (a private
// object stays 403), and only an object moto would serve with SSE-KMS gets
// S3's Signature Version 4 refusal.
func (f *awsFront) anonymousGet(w http.ResponseWriter, r *http.Request, proxy *httputil.ReverseProxy) {
	rec := httptest.NewRecorder()
	proxy.ServeHTTP(rec, r)
	if rec.Code == http.StatusOK && rec.Header().Get("x-amz-server-side-encryption") == "aws:kms" {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, awsSigV4Answer)
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = io.Copy(w, bytes.NewReader(rec.Body.Bytes()))
}

func writeAccessDenied(w http.ResponseWriter, service string) {
	if service == "kms" {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/AWSLabsUser-e2e is not authorized to perform this operation because no resource-based policy allows it"}`)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusForbidden)
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4T8X0C2V6B1N3M5Q</RequestId><HostId>aG9zdGlk</HostId></Error>`)
}

// kmsTarget is the operation of a KMS JSON request, e.g. GetKeyPolicy.
func kmsTarget(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "TrentService.")
}
