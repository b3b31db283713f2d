package labctl_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/cloudtrailtest"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// counter counts the requests that reach the front, by call.
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
	c.calls[call]++
	c.mu.Unlock()
	return false
}

func (c *counter) total() (int, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var lines []string
	n := 0
	for k, v := range c.calls {
		n += v
		lines = append(lines, fmt.Sprintf("%3d %s", v, k))
	}
	sort.Strings(lines)
	return n, strings.Join(lines, "\n")
}

// TestCheckCallCount counts the AWS requests `labctl check` makes of a
// complete lab done by hand, one log file delivered: issue 20 measured 25
// before the account model, and reading the account once must not make it
// more.
func TestCheckCallCount(t *testing.T) {
	moto := needMoto(t)
	h := newHandLab(t, moto, region)
	tl := cloudtrailtest.Lab{AccountID: h.account, Region: region, Partition: partition, KeyID: h.keyID,
		Bucket: h.bucket, ObjectKey: h.objectKey, UserName: studentName, SourceIP: "198.51.100.7"}
	rng := rand.New(rand.NewPCG(2, 0))
	now := time.Now().UTC()
	id := func() string { return cloudtrailtest.EventID(rng) }
	data, err := cloudtrailtest.Gzip([]cloudtrailtest.Record{tl.GenerateDataKey(now.Add(-4*time.Minute), id()),
		tl.PutObject(now.Add(-4*time.Minute), id()), tl.Decrypt(now.Add(-3*time.Minute), id()), tl.GetObject(now.Add(-3*time.Minute), id())})
	require.NoError(t, err)
	putObject(t, h.lab, cloudtrailtest.LogFileKey(h.account, region, now.Add(-time.Minute), rng), data)

	c := &counter{calls: map[string]int{}}
	f := mototest.NewFront(t, moto.URL, c.count)
	res := runLabctl(t, awsEnv(t, h.lab), "", "check", "--region", region, "--endpoint-url", f.URL, "--student", h.student)
	require.Contains(t, res.stdout, "pass    task 2", res.stdout+res.stderr)
	n, calls := c.total()
	t.Logf("labctl check made %d requests:\n%s", n, calls)
	assert.LessOrEqual(t, n, 25, "requests of one check:\n%s", calls)
}
