// Package mototest is the harness of the tests that run against a moto
// server: the Suite a test binary's TestMain runs (moto started, through
// internal/testenv/motoserver, while the module's binaries build; a test
// without moto skipped in a -short run and failed with the install command
// otherwise), an emulator account and session per test, a front that
// answers as AWS documents where moto differs (in internal/testenv/awswire's
// documented answers), and a counter of the calls that pass it.
//
// Like internal/testenv/motoserver it is a plain package, not a _test one, so
// that every test package shares one copy; only tests may import it. It
// imports the standard library, internal/testenv/motoserver,
// internal/testenv/awswire and the AWS SDK's STS client alone, so a
// package's internal test can use it without an import cycle.
package mototest

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"testing"

	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
)

// Answer is one package's own answer where moto differs from AWS: it
// answers the request and returns true, or returns false and writes
// nothing, leaving the request to the next answer, then to the front.
type Answer func(w http.ResponseWriter, r *http.Request) bool

// Front sits in front of moto and answers as AWS documents where moto
// differs: an unsigned GET of an object moto would serve with SSE-KMS gets
// S3's Signature Version 4 refusal (awswire.WriteSigV4Required). The
// answers given to NewFront come first; everything no one answers goes to
// moto unchanged.
type Front struct {
	*httptest.Server
	proxy   *httputil.ReverseProxy
	answers []Answer
}

// NewFront starts a front for the moto server at motoURL, closed when the
// test ends.
func NewFront(t testing.TB, motoURL string, answers ...Answer) *Front {
	t.Helper()
	target, err := url.Parse(motoURL)
	if err != nil {
		t.Fatal(err)
	}
	f := &Front{proxy: httputil.NewSingleHostReverseProxy(target), answers: answers}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *Front) serve(w http.ResponseWriter, r *http.Request) {
	for _, answer := range f.answers {
		if answer(w, r) {
			return
		}
	}
	if r.Method == http.MethodGet && unsigned(r) {
		f.anonymousGet(w, r)
		return
	}
	f.proxy.ServeHTTP(w, r)
}

// unsigned tells a request with neither a signature header nor a presigned
// URL's signature.
func unsigned(r *http.Request) bool {
	return r.Header.Get("Authorization") == "" && r.URL.Query().Get("X-Amz-Signature") == ""
}

// anonymousGet asks moto first, so access control still decides (a private
// object stays 403), and only an object moto would serve with SSE-KMS gets
// S3's Signature Version 4 refusal.
func (f *Front) anonymousGet(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	f.proxy.ServeHTTP(rec, r)
	if rec.Code == http.StatusOK && rec.Header().Get("x-amz-server-side-encryption") == "aws:kms" {
		awswire.WriteSigV4Required(w)
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = io.Copy(w, bytes.NewReader(rec.Body.Bytes()))
}

// QueryForm is the form of a query protocol request (IAM, STS), read from
// its body; the body is put back, so moto can still be asked.
func QueryForm(r *http.Request) url.Values {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	form, _ := url.ParseQuery(string(body))
	return form
}
