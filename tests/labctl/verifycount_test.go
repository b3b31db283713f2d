package labctl_test

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// TestVerifyCallCount counts the AWS requests `labctl verify` makes of a
// deployed lab, and holds it to reading the account once (issue 20): no
// request is sent twice. Two requests of one call (HeadBucket and
// HeadObject; DescribeKey of the key and of its alias) are two reads.
func TestVerifyCallCount(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)
	outputs := writeOutputs(t, l.outputs(t))
	c := &mototest.Counter{}
	var mu sync.Mutex
	sent := map[string]int{}
	same := func(_ http.ResponseWriter, r *http.Request) bool {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		mu.Lock()
		sent[r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("X-Amz-Target")+" "+string(body)]++
		mu.Unlock()
		return false
	}
	f := mototest.NewFront(t, moto.URL, c.Count, same)

	res := runLabctl(t, awsEnv(t, l), "", "verify", "--outputs", outputs, "--endpoint-url", f.URL)
	require.Equal(t, 0, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	n, calls := c.Take()
	t.Logf("labctl verify made %d requests:\n%s", n, calls)
	for req, times := range sent {
		assert.Equal(t, 1, times, "the same request sent %d times: %s\nall calls:\n%s", times, req, calls)
	}
}
