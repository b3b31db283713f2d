package labctl_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/cloudtrailtest"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

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

	c := &mototest.Counter{}
	f := mototest.NewFront(t, moto.URL, c.Count)
	res := runLabctl(t, awsEnv(t, h.lab), "", "check", "--region", region, "--endpoint-url", f.URL, "--student", h.student)
	require.Contains(t, res.stdout, "pass    task 2", res.stdout+res.stderr)
	n, calls := c.Take()
	t.Logf("labctl check made %d requests:\n%s", n, calls)
	assert.LessOrEqual(t, n, 25, "requests of one check:\n%s", calls)
}
