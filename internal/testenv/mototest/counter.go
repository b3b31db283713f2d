package mototest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// Counter counts the requests that reach a front, by call, for the tests
// that hold a command to a number of AWS requests (issue 20's call counts).
// Its Count is a front handler that answers nothing itself.
type Counter struct {
	mu    sync.Mutex
	calls map[string]int
}

// Count records r under its call: the JSON protocol's X-Amz-Target, the
// query protocol's Action, an unsigned request, or S3's method and
// sub-resource.
func (c *Counter) Count(_ http.ResponseWriter, r *http.Request) bool {
	call := r.Method + " s3"
	switch {
	case r.Header.Get("X-Amz-Target") != "":
		call = r.Header.Get("X-Amz-Target")
	case r.Method == http.MethodPost && r.URL.Path == "/":
		call = "query " + QueryForm(r).Get("Action")
	case r.Header.Get("Authorization") == "":
		call = "anonymous GET"
	case r.URL.RawQuery != "":
		q := r.URL.Query()
		var keys []string
		for k := range q {
			if k != "x-id" && k != "prefix" && k != "list-type" && k != "delimiter" && k != "continuation-token" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		call += "?" + strings.Join(keys, "&") + q.Get("x-id")
	}
	c.mu.Lock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[call]++
	c.mu.Unlock()
	return false
}

// Take returns the count so far, with a sorted line per call, and starts
// again from zero.
func (c *Counter) Take() (int, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var lines []string
	n := 0
	for k, v := range c.calls {
		n += v
		lines = append(lines, fmt.Sprintf("%3d %s", v, k))
	}
	sort.Strings(lines)
	c.calls = nil
	return n, strings.Join(lines, "\n")
}
