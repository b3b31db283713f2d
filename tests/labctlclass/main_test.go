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
	"os"
	"testing"

	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// labctlCmd is the binary under test, built by TestMain (not in a -short
// run: every test that runs it needs moto).
const labctlCmd = "github.com/kms-lab/kms-lab/cmd/labctl"

// shared is set up once by TestMain, read-only once tests run.
var shared = &mototest.Suite{Name: "labctl class e2e", Build: []string{labctlCmd}}

func TestMain(m *testing.M) {
	os.Exit(shared.Run(m))
}
