// Package labctl_test runs the real labctl binary end to end against a moto
// server started on a free loopback port: it builds a lab environment
// through the AWS SDK, seeds CloudTrail log files (moto does not deliver
// any) and checks what labctl prints and exits with.
package labctl_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// suite holds what TestMain prepares once for every test.
type suite struct {
	binary  string // the labctl binary under test
	moto    *motoServer
	motoErr error // why moto is unavailable, if it is
}

var shared suite // set once by TestMain before any test runs, read-only afterwards

func TestMain(m *testing.M) {
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	dir, err := os.MkdirTemp("", "labctl-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "labctl e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)

	shared.binary = filepath.Join(dir, "labctl")
	build := exec.Command(goTool(), "build", "-o", shared.binary, "github.com/kms-lab/kms-lab/cmd/labctl")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "labctl e2e: building labctl:", err)
		return 1
	}

	shared.moto, shared.motoErr = startMoto(dir)
	if shared.moto != nil {
		defer shared.moto.stop()
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

// needMoto skips the test when moto is unavailable on a developer machine,
// and fails it in CI, where .ci/run installs moto and a skip would hide
// that the integration tests did not run.
func needMoto(t *testing.T) *motoServer {
	t.Helper()
	if shared.moto != nil {
		return shared.moto
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("moto server is required in CI (CI=true) but is unavailable: %v", shared.motoErr)
	}
	t.Skipf("skipping: moto server unavailable (%v); install it with `python3 -m pip install 'moto[server]'`", shared.motoErr)
	return nil
}
