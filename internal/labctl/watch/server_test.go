package watch

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/labctl/option"
)

// TestCheckListen: the page shows students' IAM names (and, with a
// roster, their names), so a --listen beyond loopback needs --token
// (docs/class-page.md). Loopback is 127.0.0.0/8 and ::1 (RFC 1122
// 3.2.1.3, RFC 4291 2.5.3) and the name localhost; an empty host or an
// unspecified address listens on every interface.
func TestCheckListen(t *testing.T) {
	const hostPort = "want host:port, such as 127.0.0.1:8080"
	tests := []struct {
		name, addr, token string
		open              bool   // off loopback without a token
		rule              string // the start of a bad address's rule
	}{
		{name: "loopback IPv4", addr: "127.0.0.1:8080"},
		{name: "loopback IPv4, another address of 127/8", addr: "127.0.0.2:8080"},
		{name: "loopback IPv6", addr: "[::1]:8080"},
		{name: "localhost", addr: "localhost:8080"},
		{name: "loopback, any port", addr: "127.0.0.1:0"},
		{name: "loopback with a token", addr: "127.0.0.1:8080", token: "s3cret"},
		{name: "every IPv4 interface", addr: "0.0.0.0:8080", open: true},
		{name: "every IPv6 interface", addr: "[::]:8080", open: true},
		{name: "no host: every interface", addr: ":8080", open: true},
		{name: "an interface's address", addr: "192.0.2.10:8080", open: true},
		{name: "a host name", addr: "class.example.edu:8080", open: true},
		{name: "every interface with a token", addr: "0.0.0.0:8080", token: "s3cret"},
		{name: "an interface's address with a token", addr: "192.0.2.10:8080", token: "s3cret"},
		{name: "no port", addr: "8080", rule: hostPort},
		{name: "an empty port", addr: "127.0.0.1:", rule: hostPort + ": the port is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckListen(tt.addr, tt.token)
			var open *OpenListenError
			var bad option.Problems
			switch {
			case tt.open:
				require.True(t, errors.As(err, &open), "an open listen error: %v", err)
				assert.Equal(t, tt.addr, open.Addr)
				assert.Contains(t, err.Error(), "is not a loopback address and no token is set: the page shows students' IAM names")
			case tt.rule != "":
				require.True(t, errors.As(err, &bad), "an option problem: %v", err)
				require.Len(t, bad, 1)
				assert.Equal(t, "listen", bad[0].Name)
				assert.Equal(t, `"`+tt.addr+`"`, bad[0].Value)
				assert.True(t, strings.HasPrefix(bad[0].Rule, tt.rule), bad[0].Rule)
			default:
				assert.NoError(t, err)
				return
			}
			assert.NotContains(t, err.Error(), "--", "the domain names no flags")
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
