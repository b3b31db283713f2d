package labctl_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/cloudtrailtest"
)

// --wait is lab task 5's "refresh every few seconds": it must return once a
// log file newer than the image arrives, then list that file's events.
func TestEventsWaitsForALogFileNewerThanTheImage(t *testing.T) {
	moto := needMoto(t)
	c := newSDK(moto.URL)
	l := newLab(t, c)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, shared.binary, "events", "--outputs", writeOutputs(t, l.outputs()),
		"--endpoint-url", moto.URL, "--wait", "--poll-interval", "200ms", "--wait-timeout", "30s")
	cmd.Env = awsEnv(t)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())

	// S3 timestamps have one-second resolution: deliver clearly after the
	// upload, while labctl is already polling.
	time.Sleep(2 * time.Second)
	decrypt := "a1b2c3d4-0000-4000-8000-000000000005"
	delivered := time.Now().UTC()
	data, err := cloudtrailtest.Gzip([]cloudtrailtest.Record{l.trail().Decrypt(delivered.Add(-time.Second), decrypt)})
	require.NoError(t, err)
	key := cloudtrailtest.LogFileKey(account, region, delivered, rand.New(rand.NewPCG(5, 5)))
	putObject(t, c, l.bucket, key, data)

	require.NoError(t, cmd.Wait(), "stderr: %s", stderr.String())
	assert.Contains(t, stderr.String(), "waiting for a CloudTrail log file newer than the image ("+l.uploaded.UTC().Format(time.RFC3339)+")")
	assert.Contains(t, stderr.String(), "log file delivered: "+key)
	rows := tableRows(t, stdout.String())
	require.Len(t, rows, 1, stdout.String())
	assert.Equal(t, "Decrypt", rows[0][2])
}

func TestEventsWaitGivesUp(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, newSDK(moto.URL))

	res := runLabctl(t, awsEnv(t), "", "events", "--outputs", writeOutputs(t, l.outputs()), "--endpoint-url", moto.URL,
		"--wait", "--poll-interval", "200ms", "--wait-timeout", "1s")

	require.Equal(t, 2, res.code, "stderr: %s", res.stderr)
	assert.Contains(t, res.stderr, "labctl: no log file newer than the image's upload time ("+l.uploaded.UTC().Format(time.RFC3339)+") arrived within 1s")
	assert.Empty(t, res.stdout)
}
