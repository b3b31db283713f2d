package cmdutil

import (
	"io"
	"os"

	"github.com/kms-lab/kms-lab/internal/buildinfo"
)

// IOStreams are a command's standard streams.
type IOStreams struct {
	Out    io.Writer
	ErrOut io.Writer
}

// Factory hands every command what it takes from outside the process, so a
// test runs a command in-process with buffers.
type Factory struct {
	IOStreams *IOStreams
	BuildInfo buildinfo.Info
}

// New is the Factory of the real process.
func New(info buildinfo.Info) *Factory {
	return &Factory{IOStreams: &IOStreams{Out: os.Stdout, ErrOut: os.Stderr}, BuildInfo: info}
}
