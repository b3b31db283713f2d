package mototest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
)

// The front is checked against a stand-in for moto, so this runs in -short
// runs too; the end-to-end packages check it against moto itself.
func TestFront(t *testing.T) {
	moto := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/bucket/sse-kms.png":
			w.Header().Set("x-amz-server-side-encryption", "aws:kms")
			io.WriteString(w, "image")
		case "/bucket/private.png":
			awswire.WriteS3AccessDenied(w)
		default:
			io.WriteString(w, "moto")
		}
	}))
	defer moto.Close()
	f := NewFront(t, moto.URL, func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/hooked" {
			return false
		}
		w.WriteHeader(http.StatusTeapot)
		return true
	})

	get := func(path string, header http.Header) (int, string) {
		req, err := http.NewRequest(http.MethodGet, f.URL+path, nil)
		require.NoError(t, err)
		for k, v := range header {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body)
	}

	code, body := get("/bucket/sse-kms.png", nil)
	assert.Equal(t, http.StatusBadRequest, code, "anonymous GET of an SSE-KMS object")
	assert.Equal(t, awswire.SigV4RequiredAnswer, body)

	code, body = get("/bucket/sse-kms.png", http.Header{"Authorization": {"AWS4-HMAC-SHA256 Credential=..."}})
	assert.Equal(t, http.StatusOK, code, "a signed GET reaches moto")
	assert.Equal(t, "image", body)

	code, body = get("/bucket/private.png", nil)
	assert.Equal(t, http.StatusForbidden, code, "access control still decides")
	assert.Equal(t, awswire.S3AccessDeniedAnswer, body)

	code, _ = get("/hooked", nil)
	assert.Equal(t, http.StatusTeapot, code, "the package's answers come first")

	code, body = get("/other", nil)
	assert.Equal(t, http.StatusOK, code)
	assert.Equal(t, "moto", body)
}
