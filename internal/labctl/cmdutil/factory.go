package cmdutil

import (
	"io"
	"net/http"
	"os"
	"time"

	"github.com/kms-lab/kms-lab/internal/buildinfo"
	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// IOStreams are a command's standard streams.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// ErrTTY says ErrOut is a terminal, where a live progress line makes
	// sense; elsewhere progress is one line per step.
	ErrTTY bool
}

// System is the process's own streams.
func System() *IOStreams {
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, ErrTTY: isTerminal(os.Stderr)}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// AWSConnector is awsclient.Connector, the one spelling of "connect to an
// account" that the commands and the domain packages share.
type AWSConnector = awsclient.Connector

// BuildInfo is what `labctl version` prints: what a release stamped at
// link time, or what the toolchain recorded (buildinfo.Resolve).
type BuildInfo = buildinfo.Info

// Factory hands every command what it takes from outside the process, so
// that a test runs a command in-process with fakes: buffers for the
// streams, a fixed clock, AWS clients whose HTTP goes to a stub.
type Factory struct {
	IOStreams *IOStreams
	// AWS connects to an account; New's is awsclient.New.
	AWS AWSConnector
	// HTTPClient makes unsigned requests, such as task 4's anonymous GET.
	HTTPClient func() *http.Client
	// Now is the clock.
	Now       func() time.Time
	BuildInfo BuildInfo
}

// New is the Factory of the real process.
func New(info BuildInfo) *Factory {
	return &Factory{
		IOStreams:  System(),
		AWS:        awsclient.New,
		HTTPClient: account.NewHTTPClient,
		Now:        time.Now,
		BuildInfo:  info,
	}
}
