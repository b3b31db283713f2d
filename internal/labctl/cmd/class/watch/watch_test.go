package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/cmd/class/shared"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/awsstub"
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
			got.IO, got.AWS, got.Now = nil, nil, nil
			assert.Equal(t, tt.want, *got)
		})
	}
}

// TestWatchRoster runs class watch in-process on loopback with no token
// (docs/class-page.md: loopback needs none) and a roster: /status.json
// names the student of each stack the roster has, and the roster's
// mismatch with the class is said on stderr while the page is served.
func TestWatchRoster(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "classes"), 0o700))
	classFile := filepath.Join(dir, "classes", "kms101.yaml")
	require.NoError(t, os.WriteFile(classFile, []byte("name: kms101\nmode: deployed\nstacks:\n  - kms101-acct01\n  - kms101-acct02\n"), 0o600))
	for _, st := range []struct{ name, account string }{{"kms101-acct01", "111122223333"}, {"kms101-acct02", "444455556666"}} {
		yaml := "config:\n  aws:region: us-west-2\n  aws:profile: " + st.name + "\n  aws:allowedAccountIds: [\"" + st.account + "\"]\n"
		require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi."+st.name+".yaml"), []byte(yaml), 0o600))
	}
	roster := filepath.Join(t.TempDir(), "kms101.csv")
	require.NoError(t, os.WriteFile(roster, []byte("stack,name\nkms101-acct01,Zoë Ångström\n"), 0o600))

	f, streams := awsstub.New(t).Factory("", time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), nil)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var doc struct {
		Accounts []struct {
			Stack   string
			Student *struct{ Name string }
		}
	}
	var status int
	cmd := NewCmdWatch(f, func(o *WatchOptions) error {
		o.Ready = func(addr string) {
			defer cancel()
			resp, err := http.Get("http://" + addr + "/status.json")
			if !assert.NoError(t, err) {
				return
			}
			defer func() { _ = resp.Body.Close() }()
			status = resp.StatusCode
			assert.NoError(t, json.NewDecoder(resp.Body).Decode(&doc))
		}
		return watchRun(ctx, o)
	})
	// Deployed mode with an empty outputs directory: no account is
	// reached, so no AWS answer is needed.
	cmd.SetArgs([]string{classFile, "--listen", "127.0.0.1:0", "--outputs-dir", t.TempDir(), "--roster", roster})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	require.NoError(t, cmd.ExecuteContext(ctx))

	assert.Equal(t, http.StatusOK, status, "loopback: no token needed")
	require.Len(t, doc.Accounts, 2)
	require.NotNil(t, doc.Accounts[0].Student)
	assert.Equal(t, "Zoë Ångström", doc.Accounts[0].Student.Name)
	assert.Nil(t, doc.Accounts[1].Student)
	assert.Contains(t, streams.ErrOut.String(), "roster "+roster+": stack kms101-acct02 has no line in the roster: it is shown without a name\n")
}
