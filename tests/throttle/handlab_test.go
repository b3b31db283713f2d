package throttle_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// instructorRole is the role a class's stack files assume in each lab
// account, and the checker's session in a lab account.
const instructorRole = "kms-lab-instructor"

// accountSession is a session in account through moto's sts:AssumeRole,
// which gives it that account's resources.
func accountSession(t testing.TB, motoURL, account, region string) *mototest.Session {
	t.Helper()
	s, err := mototest.AssumeRole(context.Background(), motoURL, region, fmt.Sprintf("arn:aws:iam::%s:role/%s", account, instructorRole), "console")
	require.NoError(t, err, "AssumeRole in %s", account)
	return s
}

// buildHandLab does the lab guide's six tasks in account as the console
// does them, directly on moto (never through the throttling front), and
// delivers the log file CloudTrail would: every task done, so every task
// passes.
func buildHandLab(t testing.TB, motoURL, account, region string) *handlab.Lab {
	t.Helper()
	l := handlab.Build(t, handlab.ConsoleOf(accountSession(t, motoURL, account, region)), handlab.Options{})
	rng := rand.New(rand.NewPCG(17, 19))
	now := time.Now().UTC()
	l.DeliverLog(t, l.Records(now, rng), now, rng)
	return l
}
