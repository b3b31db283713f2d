// Package labctl_test runs the real labctl binary end to end against a moto
// server started on a free loopback port: it builds a lab environment
// through the AWS SDK, seeds CloudTrail log files (moto does not deliver
// any) and checks what labctl prints and exits with.
package labctl_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/kms-lab/kms-lab/internal/motoserver"
	"github.com/kms-lab/kms-lab/internal/mototest"
)

const labctlCmd = "github.com/kms-lab/kms-lab/cmd/labctl"

// suite holds what TestMain prepares once for every test.
type suite struct {
	binary string // the labctl binary under test, not built in a -short run
	moto   *motoserver.Suite
}

var shared suite // set once by TestMain before any test runs, read-only afterwards

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	flag.Parse() // testing.Short() needs the parsed flags
	s, err := mototest.StartSuite("labctl-e2e-", labctlCmd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "labctl e2e:", err)
		return 1
	}
	defer s.Stop()
	shared = suite{binary: s.Binary(labctlCmd), moto: s.Moto}
	return m.Run()
}

// needMoto returns the suite's moto server; without one the test fails
// with the install command, or is skipped in a -short run.
func needMoto(t *testing.T) *motoserver.Server {
	t.Helper()
	return shared.moto.Need(t)
}
