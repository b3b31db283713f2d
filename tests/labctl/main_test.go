// Package labctl_test runs the real labctl binary end to end against a moto
// server started on a free loopback port: it builds a lab environment
// through the AWS SDK, seeds CloudTrail log files (moto does not deliver
// any) and checks what labctl prints and exits with.
package labctl_test

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
	dir, err := os.MkdirTemp("", "labctl-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "labctl e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)

	if testing.Short() {
		// Every test here needs moto and is skipped: no binary to build.
		shared.moto = motoserver.StartSuite(dir)
		defer shared.moto.Stop()
		return m.Run()
	}
	// Build labctl while moto starts: both take seconds.
	shared.binary = filepath.Join(dir, "labctl")
	built := make(chan error, 1)
	go func() {
		build := exec.Command(goTool(), "build", "-o", shared.binary, "github.com/kms-lab/kms-lab/cmd/labctl")
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		built <- build.Run()
	}()
	shared.moto = motoserver.StartSuite(dir)
	defer shared.moto.Stop()
	if err := <-built; err != nil {
		fmt.Fprintln(os.Stderr, "labctl e2e: building labctl:", err)
		return 1
	}
	return m.Run()
}

// goTool finds the go command that runs these tests.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}

// needMoto returns the suite's moto server; without one the test fails
// with the install command, or is skipped in a -short run.
func needMoto(t *testing.T) *motoserver.Server {
	t.Helper()
	return shared.moto.Need(t)
}
