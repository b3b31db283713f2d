// Package preflight is `labctl preflight`: a lab account checked before
// the first deploy, with the deployer's credentials.
package preflight

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/labctl/preflight"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
)

// PreflightOptions are preflight's flags and what it takes from the
// Factory.
type PreflightOptions struct {
	IO  *cmdutil.IOStreams
	AWS cmdutil.AWSConnector
	Now func() time.Time

	Config     string
	ProjectDir string
	Conn       awsclient.Options
	JSON       bool
}

// NewCmdPreflight builds `labctl preflight`; runF, when set, runs instead
// of preflightRun.
func NewCmdPreflight(f *cmdutil.Factory, runF func(*PreflightOptions) error) *cobra.Command {
	opts := &PreflightOptions{IO: f.IOStreams, AWS: f.AWS, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "preflight --config Pulumi.<stack>.yaml [flags]",
		Short: "Check a lab account before a deploy, with the deployer's credentials",
		Long: `Run with the deployer's credentials before pulumi up: the first deploy,
and every later one (the workflows run it before each up and preview). Reads
the stack's config as labplan does (the project's Pulumi.yaml from --project-dir,
the stack file's directory, or the current directory and its parents), uses
the stack's aws:profile and aws:assumeRole unless --profile is given, and
checks the account, one line per check, every check every time (pass, fail,
warn or unknown, what was seen, and the fix or when to retry): the account
is the stack's aws:allowedAccountIds account and who the deployer is; every
key-policy principal exists; account-level S3 Block Public Access lets the
image's public-read ACL work; no alias, trail or exact bucket name is in the
way: one tagged kms-lab:stack with this stack passes (a second deploy),
another stack's fails naming it, an untagged one fails with the pulumi
import command that adopts it, or the setting to change; the region has
room for the trail and whether another trail already logs management events
(a billed second copy); and, through iam:SimulatePrincipalPolicy, that the
deployer may do what the deployer policy lists. A check whose read AWS
refused or did not answer is unknown; one not run because of another's
verdict names that check.
--json prints {"checks": [{"name", "status", "detail"}]}. Exit code 0 when
nothing failed or was unknown, 1 when a check failed, 2 when none failed and
one is unknown, or on usage, config or credential errors (before any check).`,
		Example:           `  labctl preflight --config Pulumi.kms101-acct01.yaml --json`,
		Args:              cmdutil.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Config == "" {
				return cmdutil.FlagErrorf("preflight: --config Pulumi.<stack>.yaml is required (see `labctl help preflight`)")
			}
			if runF != nil {
				return runF(opts)
			}
			return preflightRun(cmd.Context(), opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.Config, "config", "", "the stack's config `file`, Pulumi.<stack>.yaml")
	fs.StringVar(&opts.ProjectDir, "project-dir", "", "`directory` of the project's Pulumi.yaml (default: the stack file's directory if it has one, else the current directory or its nearest parent with one)")
	cmdutil.AddAWSFlags(cmd, &opts.Conn, "the stack's aws:region")
	fs.BoolVar(&opts.JSON, "json", false, `print {"checks": [{"name", "status", "detail"}]} instead of the checklist`)
	_ = cmd.MarkFlagFilename("config", "yaml", "yml")
	_ = cmd.MarkFlagDirname("project-dir")
	return cmd
}

// preflightRun checks the account a stack is about to be deployed to and
// prints every check: ErrFailed when a check fails, else exit code 2 when
// one is unknown; usage, config and credential errors end it with exit
// code 2 before any check.
func preflightRun(ctx context.Context, opts *PreflightOptions) error {
	sc, err := stackconfig.Load(opts.ProjectDir, opts.Config)
	if err != nil {
		return err
	}
	if err := preflight.CheckStack(sc, opts.Config); err != nil {
		return err
	}
	conn, err := preflight.AWSOptions(opts.Conn, sc)
	if err != nil {
		return err
	}
	clients, err := opts.AWS(ctx, conn, sc.Region())
	if err != nil {
		return err
	}
	id, err := clients.WhoAmI(ctx)
	if err != nil {
		return err
	}
	report, err := preflight.Run(ctx, sc, clients, id)
	if err != nil {
		return err
	}
	if opts.JSON {
		err = preflight.WriteJSON(opts.IO.Out, report)
	} else {
		fmt.Fprintf(opts.IO.Out, "preflight for stack %s in account %s, %s (as %s)\n", sc.Stack, id.Account, clients.Region, id.ARN)
		err = preflight.WriteText(opts.IO.Out, report)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return cmdutil.ChecksOutcome(report.Checks)
}
