package mototest

import (
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"testing"

	"github.com/kms-lab/kms-lab/internal/motoserver"
)

// Suite is what a test binary's TestMain prepares once for every test: a
// scratch directory, the moto server, and the binaries built into it.
type Suite struct {
	Moto *motoserver.Suite
	dir  string
}

// StartSuite is for TestMain, after flag.Parse (testing.Short needs the
// parsed flags). It makes a scratch directory named after prefix, starts
// moto there (motoserver.StartSuite) and meanwhile builds each of cmds, main
// packages of this module by import path, into it: both take seconds. A
// -short run builds nothing, since moto is not started and every test that
// needs moto is skipped: run built binaries only from those tests.
func StartSuite(prefix string, cmds ...string) (*Suite, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return nil, err
	}
	s := &Suite{dir: dir}
	if testing.Short() {
		cmds = nil
	}
	built := make(chan error, 1)
	go func() {
		var errs []error
		for _, cmd := range cmds {
			if err := Build(s.Binary(cmd), cmd); err != nil {
				errs = append(errs, fmt.Errorf("building %s: %w", path.Base(cmd), err))
			}
		}
		built <- errors.Join(errs...)
	}()
	s.Moto = motoserver.StartSuite(dir)
	if err := <-built; err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// Binary is where StartSuite builds cmd.
func (s *Suite) Binary(cmd string) string {
	return filepath.Join(s.dir, path.Base(cmd))
}

// Stop stops moto and removes the scratch directory.
func (s *Suite) Stop() {
	s.Moto.Stop()
	os.RemoveAll(s.dir)
}

// Build builds pkg, a main package of this module by import path, to out,
// with the go command that runs the tests; its output goes to stderr.
func Build(out, pkg string) error {
	build := exec.Command(goTool(), "build", "-o", out, pkg)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	return build.Run()
}

// goTool finds the go command that runs these tests.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}

// ProjectDir is the repository root (Pulumi.yaml, the stack files, the
// assets), found from the test's working directory, its package's
// directory, by walking up to go.mod.
func ProjectDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// AccountFor gives each test an emulator account of its own, derived from
// its name, so tests sharing one moto server never meet (nor see each
// other's alias/myFirstKey or myTrail). lead, a digit, starts the ID: a
// package picks one that keeps the derived IDs apart from the fixed ones it
// uses (moto's default 123456789012, examples such as 111122223333).
func AccountFor(t testing.TB, lead int) string {
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	return fmt.Sprintf("%d%011d", lead, h.Sum64()%100_000_000_000)
}
