package awsclient

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// silentEndpoint is a loopback listener that accepts connections and never
// answers, as an endpoint behind a black-holing firewall does; it counts
// the connections made to it.
func silentEndpoint(t *testing.T) (url string, conns *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	conns = &atomic.Int64{}
	var (
		mu   sync.Mutex
		open []net.Conn
	)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			mu.Lock()
			open = append(open, c) // held open, never read or answered
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range open {
			_ = c.Close()
		}
	})
	return "http://" + ln.Addr().String(), conns
}

// Issue 24, "An endpoint that never answers": the message names the
// endpoint and the budget, and once the first call of a connection got no
// answer at all, the later calls of that account are not sent, each
// failing at once with the same timeout (so its check is unknown).
func TestEndpointThatNeverAnswers(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_MAX_ATTEMPTS", "")
	url, conns := silentEndpoint(t)
	// A short budget keeps the test fast; what is asserted is the message
	// and the connections made, never a duration.
	retry := Retry{MaxAttempts: 2, MaxBackoff: time.Millisecond, AttemptTimeout: 100 * time.Millisecond, CallBudget: 300 * time.Millisecond}
	cfg, err := LoadConfig(context.Background(), Options{EndpointURL: url, Retry: retry}, "us-west-2")
	require.NoError(t, err)
	clients := FromConfig(cfg, url)

	_, err = clients.KMS.DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String("alias/myFirstKey")})
	require.Error(t, err)
	assert.Equal(t, KindTimeout, Classify(err))
	msg := Explain(err, Target{What: "KMS key alias/myFirstKey", Region: "us-west-2", Endpoint: clients.Endpoint}).Error()
	assert.Contains(t, msg, "this read of KMS key alias/myFirstKey timed out (kms:DescribeKey): "+url+" did not answer at all (after 2 attempts, within the 300ms labctl gives one call)")
	assert.Contains(t, msg, "check that --endpoint-url is the emulator's address")
	first := conns.Load()
	assert.Positive(t, first, "the first call was sent")

	// The same account's next reads, on another service's client of the
	// same connection: not sent, the same kind of failure.
	_, err = clients.WhoAmI(context.Background())
	require.Error(t, err)
	assert.Equal(t, KindTimeout, Classify(err))
	assert.Contains(t, err.Error(), "this read of the caller's identity (sts:GetCallerIdentity) was not sent (sts:GetCallerIdentity): "+url+
		" did not answer an earlier call of this account within the 300ms labctl gives one call, so its other reads are not waited for")
	_, err = clients.KMS.DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String("k")})
	assert.True(t, Kind(Classify(err)).ReadFailed())
	assert.Equal(t, first, conns.Load(), "no connection after the first call")
}

// A connection whose endpoint answered before keeps sending: a slow call
// after good ones is a timeout of its own, not a dead endpoint.
func TestSilenceNeedsNoAnswerAtAll(t *testing.T) {
	s := &silence{}
	s.answered = true
	_, answered := s.ranOut()
	assert.True(t, answered)
	_, dead := s.silent()
	assert.False(t, dead)

	s = &silence{}
	_, answered = s.ranOut()
	assert.False(t, answered)
	_, dead = s.silent()
	assert.True(t, dead)
}
