// Package verify is `labctl verify`: a deployed lab account checked against
// its stack outputs.
package verify

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmd/snapshot/shared"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	labverify "github.com/kms-lab/kms-lab/internal/labctl/verify"
)

// VerifyOptions are verify's flags and what it takes from the Factory.
type VerifyOptions struct {
	IO         *cmdutil.IOStreams
	AWS        cmdutil.AWSConnector
	HTTPClient func() *http.Client
	Now        func() time.Time

	Outputs string
	Stdin   bool // the lone "-" argument
	Conn    awsclient.Options
	JSON    bool
	// Snapshot is a snapshot file to judge offline instead of reading AWS.
	Snapshot string
	// Version is labctl's, recorded in a snapshot.
	Version string
}

// NewCmdVerify builds `labctl verify`; runF, when set, runs instead of
// verifyRun (tests see the parsed options).
func NewCmdVerify(f *cmdutil.Factory, runF func(*VerifyOptions) error) *cobra.Command {
	opts := &VerifyOptions{IO: f.IOStreams, AWS: f.AWS, HTTPClient: f.HTTPClient, Now: f.Now, Version: f.BuildInfo.Version}
	cmd := &cobra.Command{
		Use:   "verify [-|--outputs FILE] [--json]",
		Short: "Check a deployed lab account against the stack outputs",
		Long: `Checks the live account against the stack outputs and prints one line per
check (ok, FAIL or warn, with what was observed): the key (state, spec,
rotation, alias, key policy administrators and users), the bucket (ownership,
public access block, default encryption, CloudTrail policy), the trail
(logging, multi-region, log file validation, event and insight selectors)
and the image (SSE-KMS with the key, ACL, and that an anonymous GET is
refused). --json prints {"checks": [{"name", "status", "expected", "observed"}]}.
Exit code 1 if any check fails.

--snapshot FILE judges a snapshot that ` + "`labctl snapshot --outputs FILE`" + ` wrote, against
the same outputs, without AWS, with the same output and exit codes: for
support, not marks, since a file can be edited.`,
		Example: `  pulumi stack output --json | labctl verify -
  labctl verify --outputs outputs.json --json
  labctl verify --outputs outputs.json --snapshot lab.json`,
		Args:              cmdutil.StdinArg,
		ValidArgsFunction: cmdutil.CompleteStdinArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Stdin = len(args) == 1
			if opts.Snapshot != "" {
				if err := shared.Alone(cmd, "region", "profile", "endpoint-url"); err != nil {
					return err
				}
			}
			if runF != nil {
				return runF(opts)
			}
			return verifyRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddOutputsFlag(cmd, &opts.Outputs)
	cmdutil.AddAWSFlags(cmd, &opts.Conn, "the stack's region from the outputs")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, `print {"checks": [...]} instead of the checklist`)
	cmd.Flags().StringVar(&opts.Snapshot, "snapshot", "", "judge the snapshot `FILE` that labctl snapshot wrote, offline")
	return cmd
}

// Observe reads what verify judges of the stack's account: the snapshot
// labctl verify and labctl snapshot share.
func Observe(ctx context.Context, opts *VerifyOptions) (*account.Snapshot, *stackout.Outputs, error) {
	out, err := opts.outputs()
	if err != nil {
		return nil, nil, err
	}
	clients, id, err := cmdutil.ConnectToStack(ctx, opts.AWS, opts.Conn, out)
	if err != nil {
		return nil, nil, err
	}
	obs := &account.Observer{Clients: clients, Identity: id, HTTP: opts.HTTPClient(), Now: opts.Now, Partition: out.Partition}
	snap := obs.Observe(ctx, account.Request{Command: "verify", Names: labverify.Names(out), Reads: labverify.Reads(), Tool: opts.Version})
	return snap, out, nil
}

func (opts *VerifyOptions) outputs() (*stackout.Outputs, error) {
	var args []string
	if opts.Stdin {
		args = []string{"-"}
	}
	return cmdutil.LoadOutputs(opts.Outputs, args, opts.IO.In)
}

func verifyRun(ctx context.Context, opts *VerifyOptions) error {
	if opts.Snapshot != "" {
		return verifySnapshotRun(opts)
	}
	snap, out, err := Observe(ctx, opts)
	if err != nil {
		return err
	}
	return writeReport(opts, snap, out)
}

// verifySnapshotRun judges a snapshot file against the outputs.
func verifySnapshotRun(opts *VerifyOptions) error {
	out, err := opts.outputs()
	if err != nil {
		return err
	}
	snap, err := account.ReadFile(opts.Snapshot)
	if err != nil {
		return err
	}
	if snap.Taken.Command != "verify" {
		return cmdutil.FlagErrorf("--snapshot %s was taken for %s, not verify: take it with `labctl snapshot --outputs FILE`", opts.Snapshot, snap.Taken.Command)
	}
	if snap.Taken.Account != out.AccountID || snap.Taken.Region != out.Region {
		return cmdutil.FlagErrorf("--snapshot %s is of account %s, %s, but the outputs are of account %s, %s: give the outputs of the stack it was taken of",
			opts.Snapshot, snap.Taken.Account, snap.Taken.Region, out.AccountID, out.Region)
	}
	noticeTo := opts.IO.Out
	if opts.JSON {
		noticeTo = opts.IO.ErrOut // stdout stays one JSON document
	}
	fmt.Fprintln(noticeTo, shared.Notice(snap))
	return writeReport(opts, snap, out)
}

func writeReport(opts *VerifyOptions, snap *account.Snapshot, out *stackout.Outputs) error {
	report := labverify.Judge(snap, out, nil)
	var err error
	if opts.JSON {
		err = labverify.WriteJSON(opts.IO.Out, report)
	} else {
		fmt.Fprintf(opts.IO.Out, "lab stack in account %s, %s (as %s)\n", out.AccountID, snap.Taken.Region, snap.Taken.By)
		err = labverify.WriteText(opts.IO.Out, report)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return cmdutil.ChecksOutcome(report.Checks)
}
