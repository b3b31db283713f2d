package labctl_test

import (
	"bufio"
	"bytes"
	"context"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/cloudtrailtest"
)

// --wait is lab task 5's "refresh every few seconds": it must return once a
// log file newer than the image arrives, then list that file's events.
func TestEventsWaitsForALogFileNewerThanTheImage(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, shared.Binary(labctlCmd), "events", "--outputs", writeOutputs(t, l.outputs(t)),
		"--endpoint-url", moto.URL, "--wait", "--poll-interval", "200ms", "--wait-timeout", "30s")
	cmd.Env = awsEnv(t, l)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	pipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())

	// labctl prints "waiting for ..." before its first poll: once that line
	// is read, it is polling, and anything delivered now is found by a poll.
	waiting := make(chan string, 1)
	stderrDone := make(chan string, 1)
	go func() {
		var all strings.Builder
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			all.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), "waiting for ") {
				waiting <- sc.Text()
			}
		}
		stderrDone <- all.String()
	}()
	var waitLine string
	select {
	case waitLine = <-waiting:
	case all := <-stderrDone:
		t.Fatalf("labctl ended without waiting; stderr:\n%s", all)
	}
	assert.Equal(t, "waiting for a CloudTrail log file newer than the image ("+l.uploaded.UTC().Format(time.RFC3339)+"), up to 30s", waitLine)

	// S3's LastModified has one-second resolution: a file stored in the
	// image's second would not be newer than it. Store it once the clock
	// has left that second (a condition on the clock, not on labctl).
	for !time.Now().After(l.uploaded.Add(time.Second)) {
		time.Sleep(50 * time.Millisecond)
	}
	decrypt := "a1b2c3d4-0000-4000-8000-000000000005"
	delivered := time.Now().UTC()
	data, err := cloudtrailtest.Gzip([]cloudtrailtest.Record{l.trail().Decrypt(delivered.Add(-time.Second), decrypt)})
	require.NoError(t, err)
	key := cloudtrailtest.LogFileKey(l.account, region, delivered, rand.New(rand.NewPCG(5, 5)))
	putObject(t, l, key, data)
	head, err := l.sdk.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(l.bucket), Key: aws.String(key)})
	require.NoError(t, err)
	require.True(t, aws.ToTime(head.LastModified).After(l.uploaded), "the log file must be newer than the image")

	stderr := <-stderrDone
	require.NoError(t, cmd.Wait(), "stderr: %s", stderr)
	assert.Contains(t, stderr, "log file delivered: "+key+" ("+aws.ToTime(head.LastModified).UTC().Format(time.RFC3339)+")")
	rows := tableRows(t, stdout.String())
	require.Len(t, rows, 1, stdout.String())
	assert.Equal(t, []string{delivered.Add(-time.Second).Truncate(time.Second).Format(time.RFC3339), "kms.amazonaws.com", "Decrypt"}, rows[0][:3])
}

func TestEventsWaitGivesUp(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)

	res := runLabctl(t, awsEnv(t, l), "", "events", "--outputs", writeOutputs(t, l.outputs(t)), "--endpoint-url", moto.URL,
		"--wait", "--poll-interval", "200ms", "--wait-timeout", "1s")

	require.Equal(t, 2, res.code, "stderr: %s", res.stderr)
	assert.Contains(t, res.stderr, "labctl: no log file newer than the image's upload time ("+l.uploaded.UTC().Format(time.RFC3339)+") arrived within 1s")
	assert.Empty(t, res.stdout)
}
