package labctlclean_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// instructorRole is the role every stack file assumes in its lab account.
const instructorRole = "kms-lab-instructor"

// accountSDK is a student's console session in account, through moto's
// sts:AssumeRole, which gives the session that account's resources.
func accountSDK(t testing.TB, endpoint, account, region string) *handlab.Console {
	t.Helper()
	s, err := mototest.AssumeRole(context.Background(), endpoint, region, roleARN(account), "console")
	require.NoError(t, err, "AssumeRole")
	return handlab.ConsoleOf(s)
}

func roleARN(account string) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/%s", account, instructorRole)
}

var bucketSeq atomic.Int64

// newBucketName is a name as the console suggests it, the prefix and a
// number, unique on the shared server.
func newBucketName(prefix, account string) string {
	return fmt.Sprintf("%s%d%s", prefix, 10000+bucketSeq.Add(1), account[:4])
}

// buildLab does tasks 1 to 3 as the console does, with a few log files.
func buildLab(t testing.TB, c *handlab.Console) *handlab.Lab {
	t.Helper()
	return handlab.Build(t, c, handlab.Options{Through: 3, LogFiles: 5})
}
