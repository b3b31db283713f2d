package preflight

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/awsstub"
	"github.com/kms-lab/kms-lab/internal/testenv/cmdtest"
)

var now = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

// projectDir holds the project's Pulumi.yaml, with the settings' defaults.
const projectDir = "../../../.."

func TestNewCmdPreflight(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    PreflightOptions
		wantErr string
	}{
		{name: "flags", args: []string{"--config", "Pulumi.kms101-acct01.yaml", "--project-dir", "lab", "--profile", "p", "--region", "eu-west-1", "--endpoint-url", "http://127.0.0.1:5000", "--json"},
			want: PreflightOptions{Config: "Pulumi.kms101-acct01.yaml", ProjectDir: "lab", JSON: true,
				Conn: awsclient.Options{Profile: "p", Region: "eu-west-1", EndpointURL: "http://127.0.0.1:5000"}}},
		{name: "no config", args: nil, wantErr: "preflight: --config Pulumi.<stack>.yaml is required (see `labctl help preflight`)"},
		{name: "positional stack file", args: []string{"Pulumi.kms101-acct01.yaml"}, wantErr: `preflight takes no arguments, got "Pulumi.kms101-acct01.yaml"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := awsstub.New(t).Factory("", now, nil)
			got, err := cmdtest.Parse(f, NewCmdPreflight, tt.args...)
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

// The stack allows one account; the deployer's credentials are for
// another. preflight says so and checks nothing else: every other finding
// would be about the wrong account, and each says so.
func TestPreflightRunWrongAccount(t *testing.T) {
	dir := t.TempDir()
	stackFile := filepath.Join(dir, "Pulumi.kms101-acct01.yaml")
	require.NoError(t, os.WriteFile(stackFile, []byte("config:\n"+
		"  aws:region: us-west-2\n"+
		"  aws:profile: lab-deployer\n"+
		"  aws:allowedAccountIds: [\"111122223333\"]\n"), 0o600))

	reg := awsstub.New(t)
	reg.Register(awsstub.Query("sts", "GetCallerIdentity"), awsstub.Identity("444455556666", "arn:aws:iam::444455556666:user/deployer"))
	var conn []awsclient.Options
	f, io := reg.Factory("", now, func(o awsclient.Options) { conn = append(conn, o) })
	cmd := NewCmdPreflight(f, nil)
	cmd.SetArgs([]string{"--config", stackFile, "--project-dir", projectDir})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()

	// docs/labctl.md: exit code 1 when a check fails.
	assert.Same(t, cmdutil.ErrFailed, err)
	// The stack's aws:profile is used when --profile is not given, as
	// `pulumi up` would.
	assert.Equal(t, []awsclient.Options{{Profile: "lab-deployer"}}, conn)
	out := io.Out.String()
	assert.Contains(t, out, "preflight for stack kms101-acct01 in account 444455556666, us-west-2 (as arn:aws:iam::444455556666:user/deployer)\n")
	assert.Regexp(t, `(?m)^fail +account +the credentials are for account 444455556666 \(arn:aws:iam::444455556666:user/deployer\) but the stack's aws:allowedAccountIds is 111122223333; `, out)
	// Issue 23: every other check is listed, saying why it was not run.
	assert.Regexp(t, `(?m)^unknown +deployer-permissions +not checked: the credentials are for account 444455556666, not the stack's \(see account\)$`, out)
	assert.Contains(t, out, "\n10 checks: 0 pass, 1 fail, 9 unknown\n")
	assert.Empty(t, io.ErrOut.String())
}
