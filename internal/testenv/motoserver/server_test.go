package motoserver_test

import (
	"context"
	"net"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/motoserver"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// suite starts the moto server for TestMain; tests reach it with suite.Need.
var suite = &mototest.Suite{Name: "motoserver tests"}

func TestMain(m *testing.M) {
	os.Exit(suite.Run(m))
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

	_, err = motoserver.StartOnPort(t.TempDir(), l.Addr().(*net.TCPAddr).Port)

	require.Error(t, err)
	assert.Contains(t, err.Error(), "moto exited during start-up")
	assert.Contains(t, err.Error(), "in use")
}
