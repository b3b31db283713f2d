// Package verify is `labctl verify`: a deployed lab account checked against
// its stack outputs.
package verify

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
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
}

// NewCmdVerify builds `labctl verify`; runF, when set, runs instead of
// verifyRun (tests see the parsed options).
func NewCmdVerify(f *cmdutil.Factory, runF func(*VerifyOptions) error) *cobra.Command {
	opts := &VerifyOptions{IO: f.IOStreams, AWS: f.AWS, HTTPClient: f.HTTPClient, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "verify [-|--outputs FILE] [--json]",
		Short: "Check a deployed lab account against the stack outputs",
		Long: `Checks the live account against the stack outputs and prints one line per
check (pass, fail, warn or unknown, with what was observed): the key (state,
spec, rotation, alias, key policy administrators and users), the bucket
(ownership, public access block, default encryption, CloudTrail policy), the
trail (logging, multi-region, log file validation, event and insight
selectors) and the image (SSE-KMS with the key, ACL, and that an anonymous GET
is refused). A check whose read AWS throttled, refused or failed (5xx, timeout)
is unknown, with why and when to retry; it is never a fail.
--json prints {"checks": [{"name", "status", "expected", "observed"}]}.
Exit code 0 when every check passes or warns, 1 when one fails, 2 when none
fails but one is unknown (retry it), on usage errors or when the outputs or
AWS could not be read.`,
		Example: `  pulumi stack output --json | labctl verify -
  labctl verify --outputs outputs.json --json`,
		Args:              cmdutil.StdinArg,
		ValidArgsFunction: cmdutil.CompleteStdinArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Stdin = len(args) == 1
			if runF != nil {
				return runF(opts)
			}
			return verifyRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddOutputsFlag(cmd, &opts.Outputs)
	cmdutil.AddAWSFlags(cmd, &opts.Conn, "the stack's region from the outputs")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, `print {"checks": [...]} instead of the checklist`)
	return cmd
}

func verifyRun(ctx context.Context, opts *VerifyOptions) error {
	var args []string
	if opts.Stdin {
		args = []string{"-"}
	}
	out, err := cmdutil.LoadOutputs(opts.Outputs, args, opts.IO.In)
	if err != nil {
		return err
	}
	clients, id, err := cmdutil.ConnectToStack(ctx, opts.AWS, opts.Conn, out)
	if err != nil {
		return err
	}
	v := &labverify.Verifier{
		Outputs: out, KMS: clients.KMS, S3: clients.S3, CloudTrail: clients.CloudTrail,
		HTTP: opts.HTTPClient(), Endpoint: clients.Endpoint,
		Target: awsclient.Target{Region: clients.Region, Account: out.AccountID, Caller: id.ARN, Endpoint: clients.Endpoint},
	}
	report := v.Run(ctx)
	if opts.JSON {
		err = labverify.WriteJSON(opts.IO.Out, report)
	} else {
		fmt.Fprintf(opts.IO.Out, "lab stack in account %s, %s (as %s)\n", out.AccountID, clients.Region, id.ARN)
		err = labverify.WriteText(opts.IO.Out, report)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return cmdutil.ChecksOutcome(report.Checks)
}
