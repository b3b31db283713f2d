package mototest

import (
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kms-lab/kms-lab/internal/testenv/motoserver"
)

// Suite is what a test binary's TestMain prepares once for every test: a
// scratch directory, the moto server, and the binaries built into it. It
// is the one harness of the tests that need moto; a package's TestMain is
//
//	var shared = &mototest.Suite{Name: "labctl e2e", Build: []string{labctlCmd}}
//
//	func TestMain(m *testing.M) { os.Exit(shared.Run(m)) }
//
// and each test that needs moto starts with `moto := shared.Need(t)`.
//
// The contract with `go test`: a whole run (`go test ./...`) needs moto and
// fails, with the install command, when it is missing; a short run
// (`go test -short ./...`) starts nothing, builds nothing, and skips what
// needs moto, saying so.
type Suite struct {
	Name  string   // names the suite in errors and its scratch directory
	Build []string // main packages of this module, by import path, for the tests to run

	// Set by Run before any test runs, read-only afterwards.
	dir    string
	server *motoserver.Server
	err    error // why there is no server
}

// errShort is why a -short run has no server.
var errShort = errors.New("-short run: tests that need the moto server are skipped")

// Run is TestMain's body; it returns the exit code. It parses the flags
// (testing.Short needs them), makes the scratch directory, starts moto there
// and meanwhile builds the Build packages into it: both take seconds. A
// moto that does not start is kept as the reason, not returned, so the tests
// that need moto fail with it and the others run. A -short run builds
// nothing, since moto is not started and every test that needs moto is
// skipped: run built binaries only from those tests.
func (s *Suite) Run(m *testing.M) int {
	flag.Parse()
	if err := s.start(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", s.Name, err)
		return 1
	}
	defer s.stop()
	return m.Run()
}

func (s *Suite) start() error {
	dir, err := os.MkdirTemp("", strings.ReplaceAll(s.Name, " ", "-")+"-")
	if err != nil {
		return fmt.Errorf("scratch directory: %w", err)
	}
	s.dir = dir
	if testing.Short() {
		s.err = errShort
		return nil
	}
	built := make(chan error, 1)
	go func() {
		var errs []error
		for _, cmd := range s.Build {
			if err := build(s.Binary(cmd), cmd); err != nil {
				errs = append(errs, fmt.Errorf("building %s: %w", path.Base(cmd), err))
			}
		}
		built <- errors.Join(errs...)
	}()
	s.server, s.err = motoserver.Start(dir)
	if err := <-built; err != nil {
		s.stop()
		return err
	}
	return nil
}

func (s *Suite) stop() {
	s.server.Stop()
	os.RemoveAll(s.dir)
}

// Need returns the suite's moto server, or ends the test: skipped in a
// -short run (saying so), failed with the install command otherwise.
func (s *Suite) Need(t testing.TB) *motoserver.Server {
	t.Helper()
	if s.server != nil {
		return s.server
	}
	if errors.Is(s.err, errShort) {
		t.Skip("skipped in -short mode: needs the moto server (run go test without -short for the whole suite)")
	}
	msg := "no reason recorded: is TestMain running the suite (os.Exit(suite.Run(m)))?"
	if s.err != nil {
		msg = s.err.Error()
	}
	if !strings.Contains(msg, motoserver.InstallHint) {
		msg += "\ninstall moto with: " + motoserver.InstallHint
	}
	t.Fatalf("this test needs a moto server and none could be started: %s\nor run `go test -short ./...` to skip the tests that need it", msg)
	return nil
}

// Binary is where Run builds cmd, one of Build.
func (s *Suite) Binary(cmd string) string {
	return filepath.Join(s.dir, path.Base(cmd))
}

// build builds pkg, a main package of this module by import path, to out,
// with the go command that runs the tests; its output goes to stderr.
func build(out, pkg string) error {
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
