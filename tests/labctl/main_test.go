// Package labctl_test runs the real labctl binary end to end against a moto
// server started on a free loopback port: it builds a lab environment
// through the AWS SDK, seeds CloudTrail log files (moto does not deliver
// any) and checks what labctl prints and exits with.
package labctl_test

import (
	"os"
	"testing"

	"github.com/kms-lab/kms-lab/internal/testenv/motoserver"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// labctlCmd is the binary under test, built by TestMain (not in a -short
// run: every test that runs it needs moto).
const labctlCmd = "github.com/kms-lab/kms-lab/cmd/labctl"

// shared is set up once by TestMain, read-only once tests run.
var shared = &mototest.Suite{Name: "labctl e2e", Build: []string{labctlCmd}}

func TestMain(m *testing.M) {
	os.Exit(shared.Run(m))
}

// needMoto returns the suite's moto server; without one the test fails
// with the install command, or is skipped in a -short run.
func needMoto(t *testing.T) *motoserver.Server {
	t.Helper()
	return shared.Need(t)
}
