package mototest

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
)

// Throttle answers a seeded fraction of the requests that reach it the way
// AWS answers a request it throttles, in each service's documented shape
// (awswire.WriteThrottled), and counts what it saw. Its Answer is a front
// answer, for the tests that a throttled read is unknown, never a verdict.
//
// Whether a request is throttled is decided from the seed, the request
// (method, path, query, body and signing key) and how many times that same
// request was seen before, not from arrival order: concurrent runs throttle
// the same attempts, so a run with a given seed is repeatable.
type Throttle struct {
	fraction float64
	seed     uint64

	mu     sync.Mutex
	seen   map[[32]byte]int
	counts ThrottleCounts
}

// ThrottleCounts is what a Throttle saw.
type ThrottleCounts struct {
	Requests  int            // every request
	Throttled int            // requests answered as throttled
	ByService map[string]int // throttled requests by SigV4 signing name; an unsigned one is s3's
}

// NewThrottle makes a Throttle of fraction (0 to 1) of the requests,
// chosen from seed.
func NewThrottle(fraction float64, seed uint64) (*Throttle, error) {
	if fraction < 0 || fraction > 1 {
		return nil, fmt.Errorf("throttle front fraction %v: must be from 0 to 1", fraction)
	}
	return &Throttle{fraction: fraction, seed: seed, seen: map[[32]byte]int{}, counts: ThrottleCounts{ByService: map[string]int{}}}, nil
}

// Counts returns a copy of the counts so far.
func (t *Throttle) Counts() ThrottleCounts {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.counts
	c.ByService = map[string]int{}
	for k, v := range t.counts.ByService {
		c.ByService[k] = v
	}
	return c
}

// Answer throttles r, or leaves it to the next answer.
func (t *Throttle) Answer(w http.ResponseWriter, r *http.Request) bool {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	scope := awswire.ScopeOf(r)
	service := scope.Service
	if service == "" {
		service = "s3" // an unsigned request is task 4's anonymous GET
	}
	if !t.throttle(requestID(r, scope, body), service) {
		return false
	}
	awswire.WriteThrottled(w, service)
	return true
}

// throttle decides, and counts, whether the request id is throttled.
func (t *Throttle) throttle(id [32]byte, service string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.counts.Requests++
	n := t.seen[id]
	t.seen[id] = n + 1
	h := sha256.New()
	_ = binary.Write(h, binary.BigEndian, t.seed)
	h.Write(id[:])
	_ = binary.Write(h, binary.BigEndian, uint64(n))
	sum := h.Sum(nil)
	draw := float64(binary.BigEndian.Uint64(sum[:8])>>11) / float64(1<<53)
	if draw >= t.fraction {
		return false
	}
	t.counts.Throttled++
	t.counts.ByService[service]++
	return true
}

// requestID names a request apart from its attempt: the SDK signs each
// attempt anew, so the signature and dates are left out, the access key
// (the account) kept.
func requestID(r *http.Request, scope awswire.Scope, body []byte) [32]byte {
	return sha256.Sum256([]byte(r.Method + "\n" + r.URL.Path + "\n" + r.URL.RawQuery + "\n" + scope.AccessKey + "\n" + r.Header.Get("X-Amz-Target") + "\n" + string(body)))
}
