// Package labctlclean_test runs `labctl clean` and `labctl class clean`
// in-process against a moto server with an account per test, reached by
// sts:AssumeRole as the stack files declare. The labs are built the way a
// student builds them in the console, with the SDK calls the console makes,
// and after each clean the test lists the account with the SDK and asserts
// on what is there, not on labctl's own report. Where moto differs from AWS
// a front answers as AWS documents (a denied cloudtrail:DeleteTrail, a
// refused sts:AssumeRole); each test says where.
package labctlclean_test

import (
	"os"
	"testing"

	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// shared is set up once by TestMain, read-only once tests run. The
// commands run in-process, so nothing is built.
var shared = &mototest.Suite{Name: "labctl clean e2e"}

func TestMain(m *testing.M) {
	os.Exit(shared.Run(m))
}
