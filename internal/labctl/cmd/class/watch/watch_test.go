package watch

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/cmd/class/shared"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

func TestWatchFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want WatchOptions // the flags only
		err  []string     // each a part of the one usage error
	}{
		{name: "defaults", args: []string{"classes/c.yaml"},
			want: WatchOptions{ClassFlags: shared.ClassFlags{ClassFile: "classes/c.yaml", Parallel: 8}, Listen: "127.0.0.1:8080", Every: time.Minute}},
		{name: "everything", args: []string{"classes/c.yaml", "--mode", "by-hand", "--listen", "0.0.0.0:9000", "--token", "t",
			"--every", "2m", "--parallel", "16", "--endpoint-url", "http://127.0.0.1:5000", "--roster", "c.csv"},
			want: WatchOptions{ClassFlags: shared.ClassFlags{ClassFile: "classes/c.yaml", Mode: "by-hand", Parallel: 16, Endpoint: "http://127.0.0.1:5000", Roster: "c.csv"},
				Listen: "0.0.0.0:9000", Token: "t", Every: 2 * time.Minute}},
		{name: "every problem at once", args: []string{"classes/c.yaml", "--mode", "manual", "--parallel", "0", "--every", "500ms", "--listen", "0.0.0.0:8080"},
			err: []string{`--mode "manual": use deployed or by-hand`, "--parallel 0: use 1 to 64", "--every 500ms: use 1s or more",
				`--listen "0.0.0.0:8080" is not a loopback address and --token is not set`}},
		{name: "two class files", args: []string{"a.yaml", "b.yaml"}, err: []string{"class watch takes one class file, got 2 arguments"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &cmdutil.Factory{IOStreams: &cmdutil.IOStreams{In: &bytes.Buffer{}, Out: io.Discard, ErrOut: io.Discard}}
			var got *WatchOptions
			cmd := NewCmdWatch(f, func(o *WatchOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SetOut(io.Discard)
			cmd.SetErr(io.Discard)
			err := cmd.Execute()
			if tt.err != nil {
				require.Error(t, err)
				for _, e := range tt.err {
					assert.Contains(t, err.Error(), e)
				}
				code, _ := cmdutil.ExitCode(err)
				assert.Equal(t, 2, code, "a usage error")
				return
			}
			require.NoError(t, err)
			got.IO, got.AWS, got.HTTPClient, got.Now = nil, nil, nil, nil
			assert.Equal(t, tt.want, *got)
		})
	}
}
