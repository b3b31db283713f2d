package labctlclean_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// counter counts the requests that reach a front, by call.
type counter struct {
	mu    sync.Mutex
	calls map[string]int
}

func (c *counter) count(_ http.ResponseWriter, r *http.Request) bool {
	call := r.Method + " s3"
	switch {
	case r.Header.Get("X-Amz-Target") != "":
		call = r.Header.Get("X-Amz-Target")
	case r.Method == http.MethodPost && r.URL.Path == "/":
		call = "query " + mototest.QueryForm(r).Get("Action")
	case r.URL.RawQuery != "":
		var keys []string
		for k := range r.URL.Query() {
			if k != "x-id" && k != "prefix" && k != "list-type" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		call += "?" + strings.Join(keys, "&") + r.URL.Query().Get("x-id")
	}
	c.mu.Lock()
	c.calls[call]++
	c.mu.Unlock()
	return false
}

// take returns the count so far, with a line per call, and starts again.
func (c *counter) take() (int, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var lines []string
	n := 0
	for k, v := range c.calls {
		n += v
		lines = append(lines, fmt.Sprintf("%3d %s", v, k))
	}
	sort.Strings(lines)
	c.calls = map[string]int{}
	return n, strings.Join(lines, "\n")
}

// TestCleanCallCount counts the AWS requests `labctl clean` makes of a
// complete lab done by hand (tasks 1 to 3, five log files): issue 20 asks
// that reading the account through the one model makes no more than
// clean's own reader did, 13 for the dry run and 20 for --yes.
func TestCleanCallCount(t *testing.T) {
	moto := shared.Need(t)
	account := mototest.AccountFor(t, 8)
	buildLab(t, accountSDK(t, moto.URL, account, region), account, region)
	c := &counter{calls: map[string]int{}}
	front := mototest.NewFront(t, moto.URL, c.count)
	conn := connector(account, front.URL)

	_, stderr, code := runClean(t, conn, moto.URL, "--json")
	require.Equal(t, 0, code, "dry run: %s", stderr)
	n, calls := c.take()
	t.Logf("labctl clean (dry run) made %d requests:\n%s", n, calls)
	assert.LessOrEqual(t, n, 13, "requests of the dry run:\n%s", calls)

	_, stderr, code = runClean(t, conn, moto.URL, "--json", "--yes")
	require.Equal(t, 0, code, "--yes: %s", stderr)
	n, calls = c.take()
	t.Logf("labctl clean --yes made %d requests:\n%s", n, calls)
	assert.LessOrEqual(t, n, 20, "requests of --yes:\n%s", calls)
}
