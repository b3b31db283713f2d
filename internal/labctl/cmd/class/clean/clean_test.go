package clean

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	labclean "github.com/kms-lab/kms-lab/internal/labctl/clean"
	"github.com/kms-lab/kms-lab/internal/labctl/cmd/class/shared"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/awsstub"
	"github.com/kms-lab/kms-lab/internal/testenv/cmdtest"
)

var now = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

func TestNewCmdClean(t *testing.T) {
	// The lab guide's names (alias myFirstKey, trail myTrail, bucket
	// mycloudtrailbucketNUMBER) and KMS's shortest wait, 7 days (AWS KMS
	// API Reference, ScheduleKeyDeletion: PendingWindowInDays 7 to 30).
	guide := labclean.Options{Alias: "myFirstKey", Trail: "myTrail", BucketPrefix: "mycloudtrailbucket", KeyDeletionDays: 7}
	defaults := func(change func(o *CleanOptions)) CleanOptions {
		o := CleanOptions{ClassFlags: shared.ClassFlags{ClassFile: "classes/kms101.yaml", Parallel: 8}, Format: "table", Clean: guide}
		if change != nil {
			change(&o)
		}
		return o
	}
	tests := []struct {
		name    string
		args    []string
		want    CleanOptions
		wantErr string
	}{
		{name: "defaults", args: []string{"classes/kms101.yaml"}, want: defaults(nil)},
		{name: "parallel and json", args: []string{"classes/kms101.yaml", "--parallel", "2", "--format", "json"},
			want: defaults(func(o *CleanOptions) { o.Parallel, o.Format = 2, "json" })},
		{name: "markdown", args: []string{"classes/kms101.yaml", "--format", "markdown"},
			want: defaults(func(o *CleanOptions) { o.Format = "markdown" })},
		{name: "every other flag", args: []string{"classes/kms101.yaml", "--mode", "by-hand", "--parallel", "64", "--stacks-dir", "s",
			"--endpoint-url", "http://127.0.0.1:5000", "--key-deletion-days", "30", "--yes"},
			want: defaults(func(o *CleanOptions) {
				o.Mode, o.Parallel, o.StacksDir, o.Endpoint = "by-hand", 64, "s", "http://127.0.0.1:5000"
				o.Clean.KeyDeletionDays, o.Clean.Yes = 30, true
			})},
		{name: "no class file", args: nil,
			wantErr: "class clean takes one class file, got 0 arguments: labctl class clean classes/<class>.yaml"},
		{name: "two class files", args: []string{"a.yaml", "b.yaml"},
			wantErr: "class clean takes one class file, got 2 arguments: labctl class clean classes/<class>.yaml"},
		// A deployed class is torn down with pulumi destroy (issue 15).
		{name: "deployed", args: []string{"c.yaml", "--mode", "deployed"},
			wantErr: "--mode deployed: a deployed class's resources belong to its stacks; tear them down with `pulumi destroy --stack S`"},
		// Every bad value in one run, each naming its flag, value and rule.
		{name: "bad values", args: []string{"c.yaml", "--mode", "manual", "--parallel", "0", "--format", "html", "--key-deletion-days", "6"},
			wantErr: `--mode "manual": use by-hand; --parallel 0: use 1 to 64; --format "html": use table, json, markdown; ` +
				`--key-deletion-days 6: KMS waits 7 to 30 days before deleting a key`},
		{name: "parallel 65", args: []string{"c.yaml", "--parallel", "65"}, wantErr: "--parallel 65: use 1 to 64"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := awsstub.New(t).Factory("", now, nil)
			got, err := cmdtest.Parse(f, NewCmdClean, tt.args...)
			if tt.wantErr != "" {
				cmdtest.UsageError(t, err, tt.wantErr)
				assert.Nil(t, got, "runF ran despite the error")
				return
			}
			require.NoError(t, err)
			got.IO, got.AWS, got.Now = nil, nil, nil
			assert.Equal(t, tt.want, *got)
		})
	}
}

// writeClass writes a by-hand class of two stacks, each with its stack
// file, in a temporary project directory, and returns the class file's
// path.
func writeClass(t *testing.T) string {
	t.Helper()
	return writeClassMode(t, "mode: by-hand\n")
}

// A class file that says mode: deployed, or nothing (deployed is the
// default, issue 16), is not cleaned unless --mode by-hand overrides it:
// its stacks own the resources, and pulumi destroy removes them (issue 15).
func TestCleanRunRefusesADeployedClass(t *testing.T) {
	for _, mode := range []string{"mode: deployed\n", ""} {
		class := writeClassMode(t, mode)
		f, _ := awsstub.New(t).Factory("", now, nil)
		cmd := NewCmdClean(f, nil)
		cmd.SetArgs([]string{class})
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		err := cmd.Execute()
		require.Error(t, err, "mode %q", mode)
		code, _ := cmdutil.ExitCode(err)
		assert.Equal(t, cmdutil.ExitError, code)
		assert.Contains(t, err.Error(), "says mode: deployed (the default): its stacks own the lab's resources; tear them down with `pulumi destroy --stack S`")
	}
}

func writeClassMode(t *testing.T, mode string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "classes"), 0o700))
	class := filepath.Join(dir, "classes", "kms101.yaml")
	require.NoError(t, os.WriteFile(class, []byte("name: kms101\n"+mode+"stacks:\n  - kms101-acct01\n  - kms101-acct02\n"), 0o600))
	for _, st := range []struct{ name, account string }{{"kms101-acct01", "111122223333"}, {"kms101-acct02", "444455556666"}} {
		yaml := "config:\n  aws:region: us-west-2\n  aws:profile: " + st.name + "\n  aws:allowedAccountIds: [\"" + st.account + "\"]\n"
		require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi."+st.name+".yaml"), []byte(yaml), 0o600))
	}
	return class
}

// One account cannot be reached (its profile is missing); it is a row
// with the error, and the other account is still looked at: a dry run that
// would remove its alias and key, and removes nothing (only reads are
// stubbed, so a delete call would fail the test).
func TestCleanRunOneUnreachable(t *testing.T) {
	const keyID = "1234abcd-12ab-34cd-56ef-1234567890ab"
	class := writeClass(t)
	reg := awsstub.New(t)
	reg.Register(awsstub.Query("sts", "GetCallerIdentity"), awsstub.Identity("444455556666", "arn:aws:iam::444455556666:user/instructor"))
	reg.Register(awsstub.JSON("cloudtrail", "DescribeTrails"), awsstub.JSONResponse(map[string]any{"trailList": []any{}}))
	reg.Register(awsstub.JSON("cloudtrail", "ListTrails"), awsstub.JSONResponse(map[string]any{"Trails": []any{}}))
	reg.Register(awsstub.S3("GET", "/?x-id=ListBuckets&prefix=mycloudtrailbucket"), awsstub.XMLResponse(200, `<ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets></Buckets></ListAllMyBucketsResult>`))
	reg.Register(awsstub.JSON("kms", "DescribeKey"), awsstub.JSONResponse(map[string]any{"KeyMetadata": map[string]any{
		"KeyId": keyID, "KeyState": "Enabled", "Enabled": true, "KeyManager": "CUSTOMER"}}))
	reg.Register(awsstub.JSON("kms", "ListResourceTags"), awsstub.JSONResponse(map[string]any{"Tags": []any{}, "Truncated": false}))
	reg.Register(awsstub.JSON("kms", "ListAliases"), awsstub.JSONResponse(map[string]any{"Truncated": false, "Aliases": []any{
		map[string]any{"AliasName": "alias/myFirstKey", "TargetKeyId": keyID}}}))

	var conn []awsclient.Options
	f, io := reg.Factory("", now, func(o awsclient.Options) { conn = append(conn, o) })
	stubbed := f.AWS
	f.AWS = func(ctx context.Context, opts awsclient.Options, stackRegion string) (*awsclient.Clients, error) {
		if opts.Profile == "kms101-acct01" {
			// The SDK's words for a profile the shared config lacks.
			return nil, errors.New("failed to get shared config profile, kms101-acct01")
		}
		return stubbed(ctx, opts, stackRegion)
	}
	cmd := NewCmdClean(f, nil)
	cmd.SetArgs([]string{class, "--format", "json", "--parallel", "1"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()

	// docs/teardown.md: exit code 2 when an account could not be reached.
	code, _ := cmdutil.ExitCode(err)
	assert.Equal(t, cmdutil.ExitError, code)
	// Each account is reached with its stack file's profile and region.
	assert.Equal(t, []awsclient.Options{{Profile: "kms101-acct02", Region: "us-west-2"}}, conn)

	type action struct{ Type, Name, Action, Status string }
	var doc struct {
		Class    string `json:"class"`
		DryRun   bool   `json:"dryRun"`
		Accounts []struct {
			Stack, Account, Region, Status, Error string
			Actions                               []action
		} `json:"accounts"`
	}
	require.NoError(t, json.Unmarshal(io.Out.Bytes(), &doc), io.Out.String())
	assert.Equal(t, "kms101", doc.Class)
	assert.True(t, doc.DryRun)
	require.Len(t, doc.Accounts, 2)

	acct01 := doc.Accounts[0]
	assert.Equal(t, "kms101-acct01", acct01.Stack)
	assert.Equal(t, "111122223333", acct01.Account)
	assert.Equal(t, "unreachable", acct01.Status)
	assert.Contains(t, acct01.Error, "failed to get shared config profile, kms101-acct01")
	assert.Empty(t, acct01.Actions)

	acct02 := doc.Accounts[1]
	assert.Equal(t, "kms101-acct02", acct02.Stack)
	assert.Equal(t, "444455556666", acct02.Account)
	assert.Equal(t, "us-west-2", acct02.Region)
	assert.Equal(t, "planned", acct02.Status)
	assert.Empty(t, acct02.Error)
	assert.Equal(t, []action{
		{Type: "alias", Name: "alias/myFirstKey", Action: "delete", Status: "planned"},
		{Type: "key", Name: keyID, Action: "schedule deletion", Status: "planned"},
	}, acct02.Actions)

	assert.Contains(t, io.ErrOut.String(), "dry run: looking for the lab in 2 accounts of class kms101 (1 at a time)\n")
}

// Issue 22, "A roster": --roster names each stack's student in class
// clean's report as in its progress lines, through the run itself (an
// account that cannot be reached is still named). The roster lacks
// kms101-acct02 and names a stack the class does not list: each is said on
// stderr and the run goes on (docs/classes.md, "A roster").
func TestCleanRunRoster(t *testing.T) {
	class := writeClass(t)
	roster := filepath.Join(t.TempDir(), "kms101.csv")
	require.NoError(t, os.WriteFile(roster, []byte("stack,name,email,id\n"+
		"kms101-acct01,\"Okafor, Zoë Ångström\",zoe@example.edu,s1001\n"+
		"kms101-acct09,Ida,ida@example.edu,s1009\n"), 0o600))
	tests := []struct {
		name   string
		roster bool
		format string
		want   []string // the table's first lines up to RESULT, or the JSON's accounts' students
	}{
		{"table with a roster", true, "table", []string{
			"STACK          STUDENT               ACCOUNT       REGION     RESULT",
			"kms101-acct01  Okafor, Zoë Ångström  111122223333  us-west-2  unreachable: ",
			"kms101-acct02  -                     444455556666  us-west-2  unreachable: ",
		}},
		{"table without a roster", false, "table", []string{
			"STACK          ACCOUNT       REGION     RESULT",
			"kms101-acct01  111122223333  us-west-2  unreachable: ",
			"kms101-acct02  444455556666  us-west-2  unreachable: ",
		}},
		{"json with a roster", true, "json", []string{
			`{"name":"Okafor, Zoë Ångström","email":"zoe@example.edu","id":"s1001"}`, "",
		}},
		{"json without a roster", false, "json", []string{"", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, io := awsstub.New(t).Factory("", now, nil)
			f.AWS = func(ctx context.Context, opts awsclient.Options, stackRegion string) (*awsclient.Clients, error) {
				// The SDK's words for a profile the shared config lacks.
				return nil, errors.New("failed to get shared config profile, " + opts.Profile)
			}
			cmd := NewCmdClean(f, nil)
			args := []string{class, "--parallel", "1", "--format", tt.format}
			if tt.roster {
				args = append(args, "--roster", roster)
			}
			cmd.SetArgs(args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			code, _ := cmdutil.ExitCode(cmd.Execute())
			assert.Equal(t, cmdutil.ExitError, code, "no account reached: exit 2, not a roster error")

			out := io.Out.String()
			if tt.format == "json" {
				var doc struct {
					Accounts []map[string]json.RawMessage `json:"accounts"`
				}
				require.NoError(t, json.Unmarshal(io.Out.Bytes(), &doc), out)
				require.Len(t, doc.Accounts, len(tt.want))
				for i, want := range tt.want {
					// "" is no "student" key at all.
					var got bytes.Buffer
					if raw, ok := doc.Accounts[i]["student"]; ok {
						require.NoError(t, json.Compact(&got, raw))
					}
					assert.Equal(t, want, got.String(), "account %d", i)
				}
			} else {
				lines := strings.Split(out, "\n")
				require.Greater(t, len(lines), len(tt.want), out)
				for i, want := range tt.want {
					assert.True(t, strings.HasPrefix(lines[i], want), "line %d:\n%s\nwant it to start with\n%s", i, lines[i], want)
				}
				if !tt.roster {
					assert.NotContains(t, strings.ToLower(out), "student")
				}
			}
			if tt.roster {
				stderr := io.ErrOut.String()
				assert.Contains(t, stderr, "roster "+roster+": stack kms101-acct02 has no line in the roster: it is shown without a name\n")
				assert.Contains(t, stderr, "roster "+roster+": the roster names Ida for stack kms101-acct09, which the class does not list\n")
				assert.Contains(t, stderr, "] kms101-acct01 (Okafor, Zoë Ångström) 111122223333: unreachable: ")
			}
		})
	}
}
