// Package preflight_test runs `labctl preflight` in-process against a moto
// server: each test builds the account state a check looks for through the
// AWS SDK, writes a stack file in a temporary directory and reads the
// check's verdict from the --json report and the exit code.
package preflight_test

import (
	"os"
	"testing"

	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// labctlCmd is built while moto starts, for the tests that run the
// workflow's preflight step as a job runs it.
const labctlCmd = "github.com/kms-lab/kms-lab/cmd/labctl"

// moto is the suite's server, started by TestMain.
var moto = &mototest.Suite{Name: "preflight e2e", Build: []string{labctlCmd}}

func TestMain(m *testing.M) {
	os.Exit(moto.Run(m))
}
