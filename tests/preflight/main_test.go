// Package preflight_test runs `labctl preflight` in-process against a moto
// server: each test builds the account state a check looks for through the
// AWS SDK, writes a stack file in a temporary directory and reads the
// check's verdict from the --json report and the exit code.
package preflight_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/kms-lab/kms-lab/internal/motoserver"
	"github.com/kms-lab/kms-lab/internal/mototest"
)

// moto is the suite's server, set once by TestMain.
var moto *motoserver.Suite

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	flag.Parse() // testing.Short() needs the parsed flags
	s, err := mototest.StartSuite("preflight-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "preflight e2e:", err)
		return 1
	}
	defer s.Stop()
	moto = s.Moto
	return m.Run()
}
