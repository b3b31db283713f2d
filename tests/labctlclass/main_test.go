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
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kms-lab/kms-lab/internal/motoserver"
)

// suite holds what TestMain prepares once for every test.
type suite struct {
	binary string // the labctl binary under test
	moto   *motoserver.Suite
}

var shared suite // set once by TestMain before any test runs, read-only afterwards

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	flag.Parse() // testing.Short() needs the parsed flags
	dir, err := os.MkdirTemp("", "labctl-class-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "labctl class e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)

	shared.binary = filepath.Join(dir, "labctl")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	}
	build := exec.Command(goTool, "build", "-o", shared.binary, "github.com/kms-lab/kms-lab/cmd/labctl")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "labctl class e2e: building labctl:", err)
		return 1
	}

	shared.moto = motoserver.StartSuite(dir)
	defer shared.moto.Stop()
	return m.Run()
}
