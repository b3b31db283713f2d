package watch

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
)

// TestCheckListen: the page shows students' IAM names (and, with a
// roster, their names), so a --listen beyond loopback needs --token
// (docs/class-page.md). Loopback is 127.0.0.0/8 and ::1 (RFC 1122
// 3.2.1.3, RFC 4291 2.5.3) and the name localhost; an empty host or an
// unspecified address listens on every interface.
func TestCheckListen(t *testing.T) {
	const needs = "is not a loopback address and --token is not set: the page shows students' IAM names, " +
		"so listening beyond this machine needs --token; or listen on 127.0.0.1"
	tests := []struct {
		name, addr, token, err string
	}{
		{"loopback IPv4", "127.0.0.1:8080", "", ""},
		{"loopback IPv4, another address of 127/8", "127.0.0.2:8080", "", ""},
		{"loopback IPv6", "[::1]:8080", "", ""},
		{"localhost", "localhost:8080", "", ""},
		{"loopback, any port", "127.0.0.1:0", "", ""},
		{"loopback with a token", "127.0.0.1:8080", "s3cret", ""},
		{"every IPv4 interface", "0.0.0.0:8080", "", `--listen "0.0.0.0:8080" ` + needs},
		{"every IPv6 interface", "[::]:8080", "", `--listen "[::]:8080" ` + needs},
		{"no host: every interface", ":8080", "", `--listen ":8080" ` + needs},
		{"an interface's address", "192.0.2.10:8080", "", `--listen "192.0.2.10:8080" ` + needs},
		{"a host name", "class.example.edu:8080", "", `--listen "class.example.edu:8080" ` + needs},
		{"every interface with a token", "0.0.0.0:8080", "s3cret", ""},
		{"an interface's address with a token", "192.0.2.10:8080", "s3cret", ""},
		{"no port", "8080", "", `--listen "8080": want host:port, such as 127.0.0.1:8080`},
		{"an empty port", "127.0.0.1:", "", `--listen "127.0.0.1:": want host:port, such as 127.0.0.1:8080: the port is missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
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

// TestToken: with --token, every request carries it, in an Authorization
// header (RFC 6750 2.1, "Bearer"; the scheme's case does not matter, RFC
// 7235 2.1), in ?token= (which sets an HttpOnly, SameSite cookie so the
// page's own polls carry it) or in that cookie; anything else is 401 with
// WWW-Authenticate: Bearer (RFC 6750 3) and nothing of the class.
func TestToken(t *testing.T) {
	s := &Sweeper{Class: "c", Mode: class.ByHand, Stacks: stacks(2), Check: (&counter{}).check}
	srv := httptest.NewServer(Handler(s, "s3cret"))
	defer srv.Close()
	good := &http.Cookie{Name: tokenCookie, Value: "s3cret"}
	bad := &http.Cookie{Name: tokenCookie, Value: "guess"}
	tests := []struct {
		name       string
		path       string
		header     string // Authorization
		cookie     *http.Cookie
		want       int
		wantCookie bool
	}{
		{name: "missing", path: "/", want: http.StatusUnauthorized},
		{name: "missing, data", path: "/status.json", want: http.StatusUnauthorized},
		{name: "wrong, in the query", path: "/?token=guess", want: http.StatusUnauthorized},
		{name: "empty, in the query", path: "/?token=", want: http.StatusUnauthorized},
		{name: "a prefix of it, in the query", path: "/?token=s3cre", want: http.StatusUnauthorized},
		{name: "wrong, in the header", path: "/status.json", header: "Bearer guess", want: http.StatusUnauthorized},
		{name: "right, in another scheme", path: "/status.json", header: "Basic s3cret", want: http.StatusUnauthorized},
		{name: "wrong, in the cookie", path: "/status.json", cookie: bad, want: http.StatusUnauthorized},
		{name: "wrong in the query, right in the cookie: the one given is judged", path: "/?token=guess", cookie: good, want: http.StatusUnauthorized},
		{name: "right, in the header", path: "/status.json", header: "Bearer s3cret", want: http.StatusOK},
		{name: "right, in the header, scheme in lower case", path: "/status.json", header: "bearer s3cret", want: http.StatusOK},
		{name: "right, in the query: sets the cookie", path: "/?token=s3cret", want: http.StatusOK, wantCookie: true},
		{name: "right, in the cookie", path: "/status.json", cookie: good, want: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+tt.path, nil)
			require.NoError(t, err)
			if tt.header != "" {
				req.Header.Set("Authorization", tt.header)
			}
			if tt.cookie != nil {
				req.AddCookie(tt.cookie)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer func() { _ = resp.Body.Close() }()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.want, resp.StatusCode)
			var cookie *http.Cookie
			for _, c := range resp.Cookies() {
				if c.Name == tokenCookie {
					cookie = c
				}
			}
			if tt.want == http.StatusUnauthorized {
				assert.Equal(t, `Bearer realm="labctl class watch"`, resp.Header.Get("WWW-Authenticate"))
				assert.Equal(t, "this class page needs the token given to labctl class watch --token: open /?token=TOKEN\n", string(body))
				assert.NotContains(t, string(body), "c-acct01", "nothing of the class")
				assert.Nil(t, cookie, "no cookie for a refused request")
				return
			}
			assert.Contains(t, string(body), "c-acct01")
			if !tt.wantCookie {
				assert.Nil(t, cookie)
				return
			}
			require.NotNil(t, cookie, "the token given once is kept in a cookie")
			assert.Equal(t, "s3cret", cookie.Value)
			assert.True(t, cookie.HttpOnly, "out of the page's scripts' reach")
			assert.Equal(t, http.SameSiteStrictMode, cookie.SameSite)
			assert.Equal(t, "/", cookie.Path)
		})
	}
}

// Without --token (a loopback listener), the page and its data need none.
func TestNoToken(t *testing.T) {
	s := &Sweeper{Class: "c", Mode: class.ByHand, Stacks: stacks(1), Check: (&counter{}).check}
	srv := httptest.NewServer(Handler(s, ""))
	defer srv.Close()
	for _, path := range []string{"/", "/status.json"} {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		_ = resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
	}
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
