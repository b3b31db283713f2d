package cmdutil

import (
	"io"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// flagsCmd is a command with the AWS flags, a number and a duration; it
// records whether it ran.
func flagsCmd(ran *bool) *cobra.Command {
	var opts awsclient.Options
	var n int
	var every time.Duration
	cmd := &cobra.Command{Use: "x", RunE: func(*cobra.Command, []string) error { *ran = true; return nil }}
	AddAWSFlags(cmd, &opts, "the stack's region")
	cmd.Flags().IntVar(&n, "parallel", 8, "")
	cmd.Flags().DurationVar(&every, "every", time.Minute, "")
	cmd.SetFlagErrorFunc(FlagErrorFunc)
	cmd.SetOut(io.Discard)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	CheckFlagsOf(cmd)
	return cmd
}

// Issue 24: each flag's value is checked before any call, and the message
// names the flag, the value and the rule, never strconv's or time's words.
// An endpoint is an http or https URL with a host (the AWS CLI's
// --endpoint-url: "Override command's default URL with the given URL");
// a region is a name of a known partition (AWS General Reference, "AWS
// Regions"), and ” is not the default.
func TestFlagRules(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string // "" when the command runs
	}{
		{"emulator endpoint", []string{"--endpoint-url", "http://127.0.0.1:5000", "--region", "us-west-2"}, ""},
		{"https endpoint", []string{"--endpoint-url", "https://kms.us-west-2.amazonaws.com"}, ""},
		{"GovCloud region", []string{"--region", "us-gov-west-1"}, ""},
		{"not a URL", []string{"--endpoint-url", "not a url"}, `--endpoint-url "not a url": must be an http or https URL with a host, such as http://127.0.0.1:5000`},
		{"ftp", []string{"--endpoint-url", "ftp://127.0.0.1:21"}, `--endpoint-url "ftp://127.0.0.1:21": must be an http or https URL with a host`},
		{"no scheme", []string{"--endpoint-url", "127.0.0.1:5815"}, `--endpoint-url "127.0.0.1:5815": must be an http or https URL with a host`},
		{"no host", []string{"--endpoint-url", "http://"}, `--endpoint-url "http://": must be an http or https URL with a host`},
		{"empty region", []string{"--region", ""}, `--region "": must be an AWS region name such as us-west-2, of a known partition (aws, aws-cn, aws-us-gov, ...)`},
		{"made-up region", []string{"--region", "mars-1"}, `--region "mars-1": must be an AWS region name such as us-west-2`},
		{"not a number", []string{"--parallel", "abc"}, `--parallel "abc": must be a whole number`},
		{"not a duration", []string{"--every", "soon"}, `--every "soon": must be a duration such as 90s, 15m or 1h`},
		{"every problem in one run", []string{"--parallel", "abc", "--every", "soon", "--region", "mars-1", "--endpoint-url", "ftp://x"},
			`--endpoint-url "ftp://x": must be an http or https URL with a host, such as http://127.0.0.1:5000; ` +
				`--every "soon": must be a duration such as 90s, 15m or 1h; ` +
				`--parallel "abc": must be a whole number; ` +
				`--region "mars-1": must be an AWS region name such as us-west-2, of a known partition (aws, aws-cn, aws-us-gov, ...)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ran := false
			cmd := flagsCmd(&ran)
			cmd.SetArgs(tt.args)
			err := cmd.Execute()
			if tt.want == "" {
				require.NoError(t, err)
				assert.True(t, ran)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "strconv")
			assert.False(t, ran, "a command with a bad flag does not run")
			var fe *FlagError
			assert.ErrorAs(t, err, &fe, "a usage error: exit code 2")
		})
	}
}

// A bad value is not kept: the flag's default stays, so the command's own
// checks do not report the flag a second time.
func TestFlagKeepsItsDefault(t *testing.T) {
	ran := false
	cmd := flagsCmd(&ran)
	cmd.SetArgs([]string{"--parallel", "abc"})
	_ = cmd.Execute()
	n, err := cmd.Flags().GetInt("parallel")
	require.NoError(t, err)
	assert.Equal(t, 8, n)
}
