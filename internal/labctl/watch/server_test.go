package watch

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
)

func TestCheckListen(t *testing.T) {
	tests := []struct {
		addr, token, err string
	}{
		{"127.0.0.1:8080", "", ""},
		{"localhost:8080", "", ""},
		{"[::1]:8080", "", ""},
		{"127.0.0.1:0", "", ""},
		{"0.0.0.0:8080", "", `--listen "0.0.0.0:8080" is not a loopback address and --token is not set`},
		{":8080", "", `--listen ":8080" is not a loopback address and --token is not set`},
		{"192.0.2.10:8080", "", "needs --token"},
		{"0.0.0.0:8080", "s3cret", ""},
		{"8080", "", `--listen "8080": want host:port`},
	}
	for _, tt := range tests {
		t.Run(tt.addr+"/"+tt.token, func(t *testing.T) {
			err := CheckListen(tt.addr, tt.token)
			if tt.err == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
		})
	}
}

func TestTokenOnEveryRequest(t *testing.T) {
	s := &Sweeper{Class: "c", Mode: class.ByHand, Stacks: stacks(2), Check: (&counter{}).check}
	srv := httptest.NewServer(Handler(s, "s3cret"))
	defer srv.Close()
	noRedirect := &http.Client{}
	get := func(path string, header map[string]string, cookies ...*http.Cookie) *http.Response {
		req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, err := noRedirect.Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { _ = resp.Body.Close() })
		return resp
	}
	tests := []struct {
		name   string
		path   string
		header map[string]string
		want   int
	}{
		{"no token", "/", nil, http.StatusUnauthorized},
		{"no token, data", "/status.json", nil, http.StatusUnauthorized},
		{"wrong token", "/?token=guess", nil, http.StatusUnauthorized},
		{"header", "/status.json", map[string]string{"Authorization": "Bearer s3cret"}, http.StatusOK},
		{"query", "/?token=s3cret", nil, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, get(tt.path, tt.header).StatusCode)
		})
	}
	resp := get("/?token=s3cret", nil)
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == tokenCookie {
			cookie = c
		}
	}
	require.NotNil(t, cookie, "the token given once is kept in a cookie")
	assert.True(t, cookie.HttpOnly)
	assert.Equal(t, http.StatusOK, get("/status.json", nil, cookie).StatusCode, "the page's own polls carry the cookie")
}

func TestStatusJSON(t *testing.T) {
	s := &Sweeper{Class: "c", Mode: class.ByHand, Stacks: stacks(2), Check: (&counter{pass: func(string, int64) bool { return true }}).check}
	srv := httptest.NewServer(Handler(s, ""))
	defer srv.Close()
	s.sweep(t.Context())
	resp, err := http.Get(srv.URL + "/status.json")
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	var got struct {
		Class    string `json:"class"`
		Mode     string `json:"mode"`
		Accounts []struct {
			Stack         string            `json:"stack"`
			Status        string            `json:"status"`
			CheckedAt     string            `json:"checkedAt"`
			FirstPassedAt map[string]string `json:"firstPassedAt"`
		} `json:"accounts"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	assert.Equal(t, "c", got.Class)
	assert.Equal(t, "by-hand", got.Mode)
	require.Len(t, got.Accounts, 2)
	for _, a := range got.Accounts {
		assert.Equal(t, "pass", a.Status)
		assert.NotEmpty(t, a.CheckedAt)
		assert.Contains(t, a.FirstPassedAt, "task3")
	}
	page, err := http.Get(srv.URL + "/")
	require.NoError(t, err)
	defer func() { _ = page.Body.Close() }()
	assert.True(t, strings.HasPrefix(page.Header.Get("Content-Type"), "text/html"))
}
