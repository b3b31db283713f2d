package status

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmd/class/shared"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/awsstub"
	"github.com/kms-lab/kms-lab/internal/testenv/cmdtest"
)

var now = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

func TestNewCmdStatus(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    StatusOptions
		wantErr string
	}{
		{name: "defaults", args: []string{"classes/kms101.yaml"},
			want: StatusOptions{ClassFlags: shared.ClassFlags{ClassFile: "classes/kms101.yaml", Parallel: 8}, Format: "table"}},
		{name: "flags", args: []string{"classes/kms101.yaml", "--mode", "by-hand", "--parallel", "2", "--format", "html", "--out", "k.html", "--stacks-dir", "s",
			"--endpoint-url", "http://127.0.0.1:5000", "--roster", "kms101.csv"},
			want: StatusOptions{ClassFlags: shared.ClassFlags{ClassFile: "classes/kms101.yaml", Mode: "by-hand", Parallel: 2, StacksDir: "s",
				Endpoint: "http://127.0.0.1:5000", Roster: "kms101.csv"}, Format: "html", Out: "k.html"}},
		{name: "csv", args: []string{"classes/kms101.yaml", "--format", "csv"},
			want: StatusOptions{ClassFlags: shared.ClassFlags{ClassFile: "classes/kms101.yaml", Parallel: 8}, Format: "csv"}},
		{name: "no class file", args: nil, wantErr: "class status takes one class file, got 0 arguments: labctl class status classes/<class>.yaml"},
		// Every bad value in one run, each naming its flag, value and rule.
		{name: "bad values", args: []string{"c.yaml", "--mode", "manual", "--parallel", "0", "--format", "xlsx", "--out", ""},
			wantErr: `--mode "manual": use deployed or by-hand; --parallel 0: use 1 to 64; --format "xlsx": use table, json, markdown, csv, html; --out "": give a file name; without --out the report goes to stdout`},
		// The rule every command applies to --endpoint-url (docs/labctl.md).
		{name: "endpoint not a URL", args: []string{"c.yaml", "--endpoint-url", "127.0.0.1:5815", "--parallel", "0"},
			wantErr: `--endpoint-url "127.0.0.1:5815": must be an http or https URL with a host, such as http://127.0.0.1:5000; --parallel 0: use 1 to 64`},
		{name: "outputs-dir by hand", args: []string{"c.yaml", "--mode", "by-hand", "--outputs-dir", "o"},
			wantErr: "--outputs-dir: only for --mode deployed (by-hand labs have no stack outputs)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := awsstub.New(t).Factory("", now, nil)
			got, err := cmdtest.Parse(f, NewCmdStatus, tt.args...)
			if tt.wantErr != "" {
				cmdtest.UsageError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			got.IO, got.AWS, got.Now = nil, nil, nil
			assert.Equal(t, tt.want, *got)
		})
	}
}

// writeClass writes a class of two stacks, each with its stack file, in a
// temporary project directory, and returns the class file's path.
func writeClass(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(dir, "classes"), 0o700))
	class := filepath.Join(dir, "classes", "kms101.yaml")
	require.NoError(t, os.WriteFile(class, []byte("name: kms101\nmode: deployed\nstacks:\n  - kms101-acct01\n  - kms101-acct02\n"), 0o600))
	for _, st := range []struct{ name, account string }{{"kms101-acct01", "111122223333"}, {"kms101-acct02", "444455556666"}} {
		yaml := "config:\n  aws:region: us-west-2\n  aws:profile: " + st.name + "\n  aws:allowedAccountIds: [\"" + st.account + "\"]\n"
		require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi."+st.name+".yaml"), []byte(yaml), 0o600))
	}
	return class
}

// acct01Outputs are a complete set of stack outputs for acct01.
const acct01Outputs = `{
  "accountId": "111122223333", "region": "us-west-2", "partition": "aws",
  "keyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
  "keyArn": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "keyAlias": "alias/myFirstKey", "keyAdministrators": [], "keyUsers": [], "keyRotationEnabled": false,
  "bucketName": "mycloudtrailbucket-abc", "objectOwnership": "BucketOwnerPreferred",
  "publicAccessBlock": {"blockPublicAcls": false, "ignorePublicAcls": false, "blockPublicPolicy": true, "restrictPublicBuckets": true},
  "bucketEncryption": "AES256", "objectKey": "image.jpg",
  "objectUrl": "https://mycloudtrailbucket-abc.s3.us-west-2.amazonaws.com/image.jpg", "publicObjectAcl": true,
  "trailName": "myTrail", "trailArn": "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail",
  "dataEvents": true, "insightTypes": [], "logPrefix": "AWSLogs/111122223333/CloudTrail/us-west-2/"
}`

func TestStatusRun(t *testing.T) {
	class := writeClass(t)
	outputs := t.TempDir()
	// acct01's credentials are for another account; acct02 has no
	// outputs. Neither can be checked: each is a row saying why.
	require.NoError(t, os.WriteFile(filepath.Join(outputs, "kms101-acct01.json"), []byte(acct01Outputs), 0o600))

	reg := awsstub.New(t)
	reg.Register(awsstub.Query("sts", "GetCallerIdentity"), awsstub.Identity("999988887777", "arn:aws:iam::999988887777:user/instructor"))
	var conn []awsclient.Options
	f, io := reg.Factory("", now, func(o awsclient.Options) { conn = append(conn, o) })
	cmd := NewCmdStatus(f, nil)
	cmd.SetArgs([]string{class, "--outputs-dir", outputs, "--format", "json", "--parallel", "1"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()

	// docs/labctl.md: exit code 2 when an account could not be reached.
	code, _ := cmdutil.ExitCode(err)
	assert.Equal(t, cmdutil.ExitError, code)
	// Each account is reached with its stack file's profile and region.
	assert.Equal(t, []awsclient.Options{{Profile: "kms101-acct01", Region: "us-west-2"}}, conn)

	var doc struct {
		Class    string `json:"class"`
		Mode     string `json:"mode"`
		Accounts []struct {
			Stack, Account, Status, Error string
		} `json:"accounts"`
	}
	require.NoError(t, json.Unmarshal(io.Out.Bytes(), &doc), io.Out.String())
	assert.Equal(t, "kms101", doc.Class)
	assert.Equal(t, "deployed", doc.Mode)
	require.Len(t, doc.Accounts, 2)
	// Sorted by stack (docs/labctl.md, JSON format).
	assert.Equal(t, "kms101-acct01", doc.Accounts[0].Stack)
	assert.Equal(t, "error", doc.Accounts[0].Status)
	assert.Contains(t, doc.Accounts[0].Error, "wrong account: the credentials are for account 999988887777")
	assert.Equal(t, "kms101-acct02", doc.Accounts[1].Stack)
	assert.Equal(t, "444455556666", doc.Accounts[1].Account)
	assert.Equal(t, "error", doc.Accounts[1].Status)
	assert.Contains(t, doc.Accounts[1].Error, "kms101-acct02.json: cannot read")
	assert.Contains(t, io.ErrOut.String(), "checking 2 accounts of class kms101 (deployed, 1 at a time)\n")
}

// "checking 1 account", not "1 accounts" (issue 14, item 5).
func TestStatusRunOneAccount(t *testing.T) {
	class := writeClass(t)
	require.NoError(t, os.WriteFile(class, []byte("name: kms101\nmode: deployed\nstacks:\n  - kms101-acct02\n"), 0o600))
	f, io := awsstub.New(t).Factory("", now, nil)
	cmd := NewCmdStatus(f, nil)
	cmd.SetArgs([]string{class, "--outputs-dir", t.TempDir(), "--out", filepath.Join(t.TempDir(), "status.md"), "--format", "markdown"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	_ = cmd.Execute()
	assert.Contains(t, io.ErrOut.String(), "checking 1 account of class kms101 (deployed, 8 at a time)\n")
	assert.Contains(t, io.ErrOut.String(), ": 0 of 1 account pass\n")
}

// TestStatusOut: issue 24, "`--out` can destroy the class it reports on".
// A destination that is a file the run reads is a usage error (exit 2),
// and so is one that cannot be written; both are found before the first
// account is reached, and the file named is left as it was.
func TestStatusOut(t *testing.T) {
	tests := []struct {
		name string
		// out is --out, relative to the project directory (the class
		// file's directory's parent); "{outputs}" is the outputs dir.
		out     string
		wantErr string
	}{
		{"the class file", "classes/kms101.yaml",
			`--out "classes/kms101.yaml": is the class file (classes/kms101.yaml), which this run reads: writing the report there would destroy it; choose another file`},
		{"the class file, spelt another way", "./classes/../classes/kms101.yaml", "is the class file (classes/kms101.yaml), which this run reads"},
		{"a stack file", "Pulumi.kms101-acct02.yaml", "is the stack file of kms101-acct02 (Pulumi.kms101-acct02.yaml), which this run reads"},
		{"an outputs file", "outputs/kms101-acct01.json", "is the outputs file of kms101-acct01 (outputs/kms101-acct01.json), which this run reads"},
		{"a directory", "outputs", `--out "outputs": is a directory; give a file name in it, such as outputs/report.html`},
		{"a missing directory", "pages/kms101.html", `--out "pages/kms101.html": directory pages does not exist; create it first`},
		{"no name", "", `--out "": give a file name; without --out the report goes to stdout`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			class := writeClass(t)
			project := filepath.Dir(filepath.Dir(class))
			t.Chdir(project)
			require.NoError(t, os.Mkdir("outputs", 0o755))
			require.NoError(t, os.WriteFile("outputs/kms101-acct01.json", []byte(acct01Outputs), 0o600))
			before := map[string]string{}
			for _, f := range []string{"classes/kms101.yaml", "Pulumi.kms101-acct02.yaml", "outputs/kms101-acct01.json"} {
				data, err := os.ReadFile(f)
				require.NoError(t, err)
				before[f] = string(data)
			}
			var conn []awsclient.Options
			f, io := awsstub.New(t).Factory("", now, func(o awsclient.Options) { conn = append(conn, o) })
			cmd := NewCmdStatus(f, nil)
			cmd.SetArgs([]string{"classes/kms101.yaml", "--outputs-dir", "outputs", "--format", "html", "--out", tt.out})
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			cmdtest.UsageError(t, cmd.Execute(), tt.wantErr)

			assert.Empty(t, conn, "no account is reached")
			assert.NotContains(t, io.ErrOut.String(), "checking", "no account is checked")
			for f, want := range before {
				data, err := os.ReadFile(f)
				require.NoError(t, err)
				assert.Equal(t, want, string(data), "%s is left as it was", f)
			}
		})
	}
}

// An --out that passes the checks gets the whole report, and says so.
func TestStatusOutWritten(t *testing.T) {
	class := writeClass(t)
	out := filepath.Join(t.TempDir(), "kms101.json")
	require.NoError(t, os.WriteFile(out, []byte("an earlier report"), 0o644))
	f, io := awsstub.New(t).Factory("", now, nil)
	cmd := NewCmdStatus(f, nil)
	cmd.SetArgs([]string{class, "--outputs-dir", t.TempDir(), "--format", "json", "--out", out})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	_ = cmd.Execute()
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	var doc struct{ Class string }
	require.NoError(t, json.Unmarshal(data, &doc), string(data))
	assert.Equal(t, "kms101", doc.Class)
	assert.Empty(t, io.Out.String(), "nothing on stdout")
	assert.Contains(t, io.ErrOut.String(), "wrote "+out+": 0 of 2 accounts pass\n")
}

// TestStatusRoster: issue 22, "A roster". The roster's names appear beside
// the stacks (progress lines, the report); a roster line for a stack the
// class lacks and a stack without a line are each reported on stderr, in
// the same run, and the run goes on; the roster is one of the files --out
// may not name.
func TestStatusRoster(t *testing.T) {
	class := writeClass(t)
	roster := filepath.Join(t.TempDir(), "kms101.csv")
	require.NoError(t, os.WriteFile(roster, []byte("stack,name,email\nkms101-acct01,\"Okafor, Ada\",ada@example.edu\nkms101-acct09,Ida,ida@example.edu\n"), 0o600))

	f, io := awsstub.New(t).Factory("", now, nil)
	cmd := NewCmdStatus(f, nil)
	cmd.SetArgs([]string{class, "--outputs-dir", t.TempDir(), "--format", "json", "--roster", roster, "--parallel", "1"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()
	code, _ := cmdutil.ExitCode(err)
	assert.Equal(t, cmdutil.ExitError, code, "neither account has outputs: exit 2 as before, not a roster error")

	stderr := io.ErrOut.String()
	assert.Contains(t, stderr, "roster "+roster+": stack kms101-acct02 has no line in the roster: it is shown without a name\n")
	assert.Contains(t, stderr, "roster "+roster+": the roster names Ida for stack kms101-acct09, which the class does not list\n")
	assert.Contains(t, stderr, "] kms101-acct01 (Okafor, Ada) 111122223333: not checked: ")
	var doc struct {
		Accounts []struct {
			Stack   string
			Student *struct{ Name, Email string }
		}
	}
	require.NoError(t, json.Unmarshal(io.Out.Bytes(), &doc), io.Out.String())
	require.Len(t, doc.Accounts, 2)
	require.NotNil(t, doc.Accounts[0].Student)
	assert.Equal(t, "Okafor, Ada", doc.Accounts[0].Student.Name)
	assert.Equal(t, "ada@example.edu", doc.Accounts[0].Student.Email)
	assert.Nil(t, doc.Accounts[1].Student, "a stack without a line has no student")

	// The roster is read by the run: --out may not overwrite it.
	cmd = NewCmdStatus(f, nil)
	cmd.SetArgs([]string{class, "--outputs-dir", t.TempDir(), "--roster", roster, "--out", roster})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	cmdtest.UsageError(t, cmd.Execute(), "is the roster ("+roster+"), which this run reads")
}

// A broken roster and a broken class file are reported together, before
// any account is reached.
func TestStatusRosterAndClassProblems(t *testing.T) {
	class := writeClass(t)
	require.NoError(t, os.WriteFile(class, []byte("name: kms101\nmode: deployed\nstacks:\n  - kms101-acct01\n  - kms101-acct07\n"), 0o600))
	roster := filepath.Join(t.TempDir(), "kms101.csv")
	require.NoError(t, os.WriteFile(roster, []byte("stack,nom\n"), 0o600))
	var conn []awsclient.Options
	f, _ := awsstub.New(t).Factory("", now, func(o awsclient.Options) { conn = append(conn, o) })
	cmd := NewCmdStatus(f, nil)
	cmd.SetArgs([]string{class, "--roster", roster})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `stack "kms101-acct07" has no stack file`)
	assert.Contains(t, err.Error(), "roster "+roster+`: line 1: column "nom": the columns are stack, name, email, id; line 1: no "name" column`)
	assert.Empty(t, conn)
}
