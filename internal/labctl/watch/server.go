package watch

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/kms-lab/kms-lab/internal/labctl/class/page"
	"github.com/kms-lab/kms-lab/internal/labctl/option"
	"github.com/kms-lab/kms-lab/internal/valuetext"
)

// tokenCookie carries the token after the first request that gave it.
const tokenCookie = "labctl_watch_token"

// CheckListen refuses a listen address that is not host:port, as an
// option.Problems of the option "listen", and one off loopback without a
// token, as an *OpenListenError: the page shows students' IAM names and
// accounts. "" host (":8080") listens on every interface.
func CheckListen(addr, token string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return option.Problems{{Name: "listen", Value: valuetext.Quote(addr), Rule: "want host:port, such as 127.0.0.1:8080: " + err.Error()}}
	}
	if port == "" {
		return option.Problems{{Name: "listen", Value: valuetext.Quote(addr), Rule: "want host:port, such as 127.0.0.1:8080: the port is missing"}}
	}
	if loopback(host) || token != "" {
		return nil
	}
	return &OpenListenError{Addr: addr}
}

// OpenListenError is a listen address beyond loopback without a token.
// The command words it with its flags.
type OpenListenError struct{ Addr string }

func (e *OpenListenError) Error() string {
	return fmt.Sprintf("listen address %s is not a loopback address and no token is set: the page shows students' IAM names, "+
		"so serving beyond this machine needs a token; or listen on 127.0.0.1", valuetext.Quote(e.Addr))
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Handler serves the page and /status.json from the sweeper's latest state.
// With a token, every request must carry it: an Authorization: Bearer
// header, a ?token= parameter (which then sets a cookie) or that cookie.
func Handler(s *Sweeper, token string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		var b bytes.Buffer
		if err := page.Write(&b, s.Page()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(b.Bytes())
	})
	mux.HandleFunc("GET /status.json", func(w http.ResponseWriter, _ *http.Request) {
		data, err := json.MarshalIndent(s.Page(), "", "  ")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(append(data, '\n'))
	})
	if token == "" {
		return mux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		given := r.URL.Query().Get("token")
		fromQuery := given != ""
		// RFC 7235 section 2.1: the scheme's name is case-insensitive.
		if scheme, h, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") && given == "" {
			given = strings.TrimSpace(h)
		}
		if c, err := r.Cookie(tokenCookie); err == nil && given == "" {
			given = c.Value
		}
		if subtle.ConstantTimeCompare([]byte(given), []byte(token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="labctl class watch"`)
			http.Error(w, "this class page needs the token given to labctl class watch --token: open /?token=TOKEN", http.StatusUnauthorized)
			return
		}
		if fromQuery {
			http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		}
		mux.ServeHTTP(w, r)
	})
}
