// Package throttle_test is issue 17's end-to-end proof that a throttled
// call never grades a student wrong: `labctl check`, `labctl verify` and
// `labctl class status` run in-process (the command tree with a Factory of
// buffers) against moto behind a mototest.Front whose mototest.Throttle
// answers a seeded fraction of the requests the way AWS answers one it
// throttles (S3's 503 SlowDown, KMS's and CloudTrail's
// ThrottlingException, IAM's and STS's Throttling). At 30% the verdicts
// are those of the same run without throttling and those of a complete
// lab; at 100% no check is fail. BenchmarkClassStatus20At30 measures how
// many retries a 20-account class status makes at 30%.
package throttle_test

import (
	"context"
	"os"
	"testing"

	"github.com/kms-lab/kms-lab/internal/testenv/motoserver"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// shared is set up once by TestMain, read-only once tests run. Nothing is
// built: the commands run in-process.
var shared = &mototest.Suite{Name: "throttle e2e"}

func TestMain(m *testing.M) {
	os.Exit(shared.Run(m))
}

// needMoto returns the suite's moto server, emptied: each test builds its
// labs in fixed accounts, so a run with -count N starts afresh. The tests
// of this package do not run in parallel, so none loses its labs.
func needMoto(t testing.TB) *motoserver.Server {
	t.Helper()
	moto := shared.Need(t)
	if err := moto.Reset(context.Background()); err != nil {
		t.Fatalf("emptying moto: %v", err)
	}
	return moto
}
