// Package throttle is a front for tests: an http.Handler in front of an
// emulator (moto) that answers a seeded fraction of the requests the way
// AWS answers a request it throttles, in each service's documented shape,
// and counts what it saw. Only tests may import it.
//
// The shapes:
//   - S3: HTTP 503 with the XML error <Code>SlowDown</Code> (Amazon S3 API
//     Reference, "Error responses": "SlowDown ... Please reduce your request
//     rate. 503 Slow Down"); a HEAD gets the status alone, as S3 sends no
//     body with it.
//   - KMS and CloudTrail (JSON protocol): HTTP 400 with
//     {"__type":"ThrottlingException","message":"Rate exceeded"} (AWS KMS
//     API Reference and AWS CloudTrail API Reference, "Common Errors":
//     ThrottlingException, HTTP Status Code: 400).
//   - IAM and STS (query protocol): HTTP 400 with the XML ErrorResponse
//     <Code>Throttling</Code> (IAM and STS API References, "Common Errors":
//     Throttling, "The request was denied due to request throttling",
//     HTTP Status Code: 400).
//
// Whether a request is throttled is decided from the seed, the request
// (method, path, query, body and signing key) and how many times that same
// request was seen before, not from arrival order: concurrent runs throttle
// the same attempts, so a run with a given seed is repeatable.
package throttle

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
)

// Counts is what the front saw.
type Counts struct {
	Requests  int            // every request
	Throttled int            // requests answered as throttled
	ByService map[string]int // throttled requests by service
}

// Front throttles Fraction of the requests to Next.
type Front struct {
	next     http.Handler
	fraction float64
	seed     uint64

	mu     sync.Mutex
	seen   map[[32]byte]int
	counts Counts
}

// New makes a front for the server at target that throttles fraction
// (0 to 1) of the requests, chosen from seed.
func New(target string, fraction float64, seed uint64) (*Front, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("throttle front target %q: %w", target, err)
	}
	if fraction < 0 || fraction > 1 {
		return nil, fmt.Errorf("throttle front fraction %v: must be from 0 to 1", fraction)
	}
	return NewHandler(httputil.NewSingleHostReverseProxy(u), fraction, seed), nil
}

// NewHandler is New in front of any handler, such as another front.
func NewHandler(next http.Handler, fraction float64, seed uint64) *Front {
	return &Front{next: next, fraction: fraction, seed: seed, seen: map[[32]byte]int{}, counts: Counts{ByService: map[string]int{}}}
}

// Counts returns a copy of the counts so far.
func (f *Front) Counts() Counts {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.counts
	c.ByService = map[string]int{}
	for k, v := range f.counts.ByService {
		c.ByService[k] = v
	}
	return c
}

func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	service := Service(r)
	if f.throttle(r, body, service) {
		writeThrottled(w, r, service)
		return
	}
	f.next.ServeHTTP(w, r)
}

// throttle decides, and counts, whether this request is throttled.
func (f *Front) throttle(r *http.Request, body []byte, service string) bool {
	id := requestID(r, body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts.Requests++
	n := f.seen[id]
	f.seen[id] = n + 1
	h := sha256.New()
	_ = binary.Write(h, binary.BigEndian, f.seed)
	h.Write(id[:])
	_ = binary.Write(h, binary.BigEndian, uint64(n))
	sum := h.Sum(nil)
	draw := float64(binary.BigEndian.Uint64(sum[:8])>>11) / float64(1<<53)
	if draw >= f.fraction {
		return false
	}
	f.counts.Throttled++
	f.counts.ByService[service]++
	return true
}

// requestID names a request apart from its attempt: the SDK signs each
// attempt anew, so the signature and dates are left out, the access key
// (the account) kept.
func requestID(r *http.Request, body []byte) [32]byte {
	key := ""
	if _, cred, ok := strings.Cut(r.Header.Get("Authorization"), "Credential="); ok {
		key, _, _ = strings.Cut(cred, "/")
	}
	return sha256.Sum256([]byte(r.Method + "\n" + r.URL.Path + "\n" + r.URL.RawQuery + "\n" + key + "\n" + r.Header.Get("X-Amz-Target") + "\n" + string(body)))
}

// Service names the AWS service a request is for, from its signing scope
// (Credential=AKID/date/region/SERVICE/aws4_request); an unsigned request
// (task 4's anonymous GET) is S3's.
func Service(r *http.Request) string {
	if _, cred, ok := strings.Cut(r.Header.Get("Authorization"), "Credential="); ok {
		if parts := strings.Split(cred, "/"); len(parts) >= 4 {
			return parts[3]
		}
	}
	return "s3"
}

// writeThrottled answers as service does when it throttles a request.
func writeThrottled(w http.ResponseWriter, r *http.Request, service string) {
	switch service {
	case "s3":
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusServiceUnavailable)
		if r.Method != http.MethodHead {
			_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
				`<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>THROTTLEFRONT</RequestId></Error>`)
		}
	case "iam", "sts":
		w.Header().Set("Content-Type", "text/xml")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>throttle-front</RequestId></ErrorResponse>`)
	default:
		// KMS, CloudTrail and the other JSON protocol services.
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"__type":"ThrottlingException","message":"Rate exceeded"}`)
	}
}
