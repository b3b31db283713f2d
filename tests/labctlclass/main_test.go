// Package labctlclass_test runs `labctl check` and `labctl class status`
// end to end against a moto server with several AWS accounts: each lab
// account is a moto account reached by sts:AssumeRole, as the stack files
// declare. The labs are built the way a student builds them in the
// console, with the SDK calls the console makes, and CloudTrail log files
// are seeded (moto delivers none). A small proxy in front of moto answers
// what moto does not as AWS documents it (the anonymous GET of an SSE-KMS
// object, cloudtrail:LookupEvents, a refused sts:AssumeRole); each test says
// where it relies on that.
package labctlclass_test

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
	s, err := mototest.StartSuite("labctl-class-e2e-", labctlCmd)
	if err != nil {
		fmt.Fprintln(os.Stderr, "labctl class e2e:", err)
		return 1
	}
	defer s.Stop()
	shared = suite{binary: s.Binary(labctlCmd), moto: s.Moto}
	return m.Run()
}
