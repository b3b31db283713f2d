package labctl_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/cloudtrailtest"
)

// The exit codes the README documents for labctl: 0 ok, 1 a check failed,
// 2 error (one line on stderr), 3 results printed but a log file was
// skipped. Scripts and CI jobs branch on them.
func TestDocumentedExitCodes(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)
	front := newAWSFront(t, moto.URL)
	outputs := writeOutputs(t, l.outputs(t))
	env := awsEnv(t, l)
	rng := rand.New(rand.NewPCG(9, 9))
	at := time.Now().UTC().Add(-10 * time.Minute)

	deliver := func(body []byte) {
		putObject(t, l, cloudtrailtest.LogFileKey(l.account, region, at, rng), body)
	}
	good, err := cloudtrailtest.Gzip([]cloudtrailtest.Record{l.trail().Decrypt(at.Add(-time.Minute), cloudtrailtest.EventID(rng))})
	require.NoError(t, err)

	steps := []struct {
		name   string
		before func()
		args   []string
		want   int
	}{
		{"verify, healthy lab", nil, []string{"verify", "--outputs", outputs, "--endpoint-url", front.URL}, 0},
		// moto serves the SSE-KMS image anonymously, which AWS refuses.
		{"verify, a check fails", nil, []string{"verify", "--outputs", outputs, "--endpoint-url", moto.URL}, 1},
		{"usage error", nil, []string{"events", "--outputs", outputs, "--since", "yesterday"}, 2},
		{"events, every file read", func() { deliver(good) }, []string{"events", "--outputs", outputs, "--endpoint-url", moto.URL}, 0},
		{"events, a file skipped", func() { deliver(good[:len(good)/2]) }, []string{"events", "--outputs", outputs, "--endpoint-url", moto.URL}, 3},
	}
	for _, s := range steps {
		if s.before != nil {
			s.before()
		}
		res := runLabctl(t, env, "", s.args...)
		require.Equal(t, s.want, res.code, "%s\nstdout:\n%s\nstderr:\n%s", s.name, res.stdout, res.stderr)
	}
}
