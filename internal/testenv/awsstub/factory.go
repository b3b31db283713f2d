package awsstub

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

// Streams are a test Factory's buffers.
type Streams struct {
	Out, ErrOut *bytes.Buffer
}

// Factory is a cmdutil.Factory for running a command in-process: stdin
// from the string, stdout and stderr into buffers, the clock fixed at now,
// and every AWS client and plain HTTP request answered by r. The AWS
// connector uses --region, else the stack's region, as awsclient.New does;
// connected, when not nil, receives the options of each connection.
func (r *Registry) Factory(stdin string, now time.Time, connected func(awsclient.Options)) (*cmdutil.Factory, Streams) {
	s := Streams{Out: &bytes.Buffer{}, ErrOut: &bytes.Buffer{}}
	return &cmdutil.Factory{
		IOStreams: &cmdutil.IOStreams{In: strings.NewReader(stdin), Out: s.Out, ErrOut: s.ErrOut},
		AWS: func(_ context.Context, opts awsclient.Options, stackRegion string) (*awsclient.Clients, error) {
			if connected != nil {
				connected(opts)
			}
			region := opts.Region
			if region == "" {
				region = stackRegion
			}
			return r.clients(region), nil
		},
		Now: func() time.Time { return now },
	}, s
}
