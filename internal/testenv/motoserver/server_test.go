package motoserver

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var suite *Suite

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "motoserver-")
	if err != nil {
		panic(err)
	}
	suite = StartSuite(dir)
	code := m.Run()
	suite.Stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestServerAnswersAndResets(t *testing.T) {
	s := suite.Need(t)
	require.NoError(t, s.Reset(context.Background()))
}

// A moto that cannot bind its port exits at once; Start must say so instead
// of waiting out its timeout, and must show moto's own complaint.
func TestStartReportsAProcessThatDiesAtStartup(t *testing.T) {
	suite.Need(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()

	_, err = start(t.TempDir(), l.Addr().(*net.TCPAddr).Port)

	require.Error(t, err)
	assert.Contains(t, err.Error(), "moto exited during start-up")
	assert.Contains(t, err.Error(), "in use")
}

func TestNeedExplainsAMissingServer(t *testing.T) {
	ft := &fakeT{TB: t}
	s := &Suite{Err: assert.AnError}
	func() {
		defer func() { _ = recover() }()
		s.Need(ft)
	}()
	assert.Contains(t, ft.fatal, InstallHint)
	assert.Contains(t, ft.fatal, "go test -short")
}

// fakeT records Fatalf instead of ending the real test.
type fakeT struct {
	testing.TB
	fatal string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	panic("fatal")
}
