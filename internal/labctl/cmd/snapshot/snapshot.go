// Package snapshot is `labctl snapshot`: what check or verify reads of a
// lab account, written as JSON, to be judged elsewhere with --snapshot.
package snapshot

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	checkCmd "github.com/kms-lab/kms-lab/internal/labctl/cmd/check"
	verifyCmd "github.com/kms-lab/kms-lab/internal/labctl/cmd/verify"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/labctl/outfile"
	"github.com/kms-lab/kms-lab/internal/labnames"
	"github.com/kms-lab/kms-lab/internal/valuetext"
)

// SnapshotOptions are snapshot's flags: check's, or verify's with
// --outputs, and where to write.
type SnapshotOptions struct {
	Check  *checkCmd.CheckOptions
	Verify *verifyCmd.VerifyOptions
	// Out is the file to write; "" is stdout.
	Out string
}

// deployed reports whether the snapshot is verify's: outputs were given.
func (o *SnapshotOptions) deployed() bool { return o.Verify.Outputs != "" || o.Verify.Stdin }

// NewCmdSnapshot builds `labctl snapshot`; runF, when set, runs instead of
// snapshotRun.
func NewCmdSnapshot(f *cmdutil.Factory, runF func(*SnapshotOptions) error) *cobra.Command {
	opts := &SnapshotOptions{
		Check:  &checkCmd.CheckOptions{IO: f.IOStreams, AWS: f.AWS, Now: f.Now, Version: f.BuildInfo.Version},
		Verify: &verifyCmd.VerifyOptions{IO: f.IOStreams, AWS: f.AWS, Now: f.Now, Version: f.BuildInfo.Version},
	}
	cmd := &cobra.Command{
		Use:   "snapshot [-|--outputs FILE] [flags] [--out FILE]",
		Short: "Write what check or verify reads of a lab account, as JSON",
		Long: `Reads a lab account once, as labctl check does (a lab done by hand, by the
guide's names) or, with stack outputs, as labctl verify does, and writes what
it read as JSON: who took it, the account, the region and when; the key, every
trail the region sees, the trail bucket, the image and the answer to its
anonymous GET, and for check the log records of tasks 5 and 6. Each value is
what AWS answered, "not found", or the read's error. It holds no credentials
and no object bodies.

A student stuck in CloudShell sends it; ` + "`labctl check --snapshot FILE`" + ` (or verify
--snapshot FILE with the outputs) grades it offline with the same output and
exit codes. Grading a file is for support, not marks: a file can be edited.
The JSON shape is in docs/report.md.`,
		Example: `  labctl snapshot --region us-west-2 --student arn:aws:iam::111122223333:user/AWSLabsUser-abc --out lab.json
  pulumi stack output --json | labctl snapshot - --out lab.json`,
		Args:              cmdutil.StdinArg,
		ValidArgsFunction: cmdutil.CompleteStdinArg,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Verify.Stdin = len(args) == 1
			opts.Verify.Conn = opts.Check.Conn
			if err := opts.validate(cmd); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return snapshotRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddAWSFlags(cmd, &opts.Check.Conn, "the stack's region from the outputs, else the profile's")
	cmdutil.AddOutputsFlag(cmd, &opts.Verify.Outputs)
	fs := cmd.Flags()
	fs.StringVar(&opts.Check.Student, "student", "", "the student's IAM user or role `ARN`, as for check")
	fs.StringVar(&opts.Check.Alias, "alias", labnames.GuideAlias, "the key's alias `name`, without alias/, as for check")
	fs.StringVar(&opts.Check.Trail, "trail", labnames.GuideTrail, "the trail's `name`, as for check")
	fs.StringVar(&opts.Check.BucketPrefix, "bucket-prefix", labnames.GuideBucketPrefix, "the trail bucket's name `prefix`, as for check")
	fs.StringVar(&opts.Check.Since, "since", "", "oldest log record to read, `TIME`, as for check")
	fs.StringVar(&opts.Out, "out", "", "write the snapshot to `FILE` instead of stdout")
	return cmd
}

// onlyCheck refuses check's flags beside stack outputs: a deployed lab's
// outputs name everything it reads.
func onlyCheck(cmd *cobra.Command) error {
	var set []string
	for _, name := range []string{"student", "alias", "trail", "bucket-prefix", "since"} {
		if cmd.Flags().Changed(name) {
			set = append(set, "--"+name)
		}
	}
	if len(set) == 0 {
		return nil
	}
	return cmdutil.FlagErrorf("%v: with stack outputs the snapshot is verify's, which the outputs name; drop them, or drop the outputs for check's", set)
}

// validate reports every bad flag together, before any read: check's
// flags (or none of them beside outputs), and an --out that cannot be
// written or is the outputs file this run reads.
func (o *SnapshotOptions) validate(cmd *cobra.Command) error {
	var problems []string
	var err error
	if o.deployed() {
		err = onlyCheck(cmd)
	} else {
		err = o.Check.Validate()
	}
	if err != nil {
		problems = append(problems, err.Error())
	}
	if cmd.Flags().Changed("out") {
		outputs := o.Verify.Outputs
		if outputs == "-" {
			outputs = "" // stdin, no file
		}
		if err := outfile.Check(o.Out, outfile.Input{Role: "the stack outputs", Path: outputs}); err != nil {
			problems = append(problems, fmt.Sprintf("--out %s: %s", valuetext.Quote(o.Out), err))
		}
	}
	return cmdutil.Problems(problems)
}

func snapshotRun(ctx context.Context, opts *SnapshotOptions) error {
	var (
		snap *account.Snapshot
		err  error
	)
	if opts.deployed() {
		snap, _, err = verifyCmd.Observe(ctx, opts.Verify)
	} else {
		snap, err = checkCmd.Observe(ctx, opts.Check)
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := account.WriteJSON(&buf, snap); err != nil {
		return err
	}
	if opts.Out == "" {
		_, err = io.Copy(opts.Check.IO.Out, &buf)
		return err
	}
	if err := outfile.Write(opts.Out, func(w io.Writer) error { _, err := io.Copy(w, &buf); return err }); err != nil {
		return fmt.Errorf("--out %s: %w", opts.Out, err)
	}
	return nil
}
