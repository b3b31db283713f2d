// Package status is `labctl class status`: every lab account of a class
// checked, one report row per account.
package status

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/labctl/class/page"
	classstatus "github.com/kms-lab/kms-lab/internal/labctl/class/status"
	"github.com/kms-lab/kms-lab/internal/labctl/cmd/class/shared"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/labctl/outfile"
	"github.com/kms-lab/kms-lab/internal/report"
)

// StatusOptions are class status's flags and what it takes from the
// Factory.
type StatusOptions struct {
	IO  *cmdutil.IOStreams
	AWS cmdutil.AWSConnector
	Now func() time.Time

	shared.ClassFlags
	Format string
	Out    string
}

// NewCmdStatus builds `labctl class status`; runF, when set, runs instead
// of statusRun.
func NewCmdStatus(f *cmdutil.Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{IO: f.IOStreams, AWS: f.AWS, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "status classes/<class>.yaml [flags]",
		Short: "Check every lab account of a class and report one row per account",
		Long: `Checks every lab account of a class, a few at a time: --mode deployed runs
verify against each stack's outputs (from ` + "`pulumi stack output --json --stack S`" + `
or --outputs-dir DIR/<stack>.json), --mode by-hand runs check. Each account
is reached with the credentials its Pulumi.<stack>.yaml declares
(aws:assumeRole, aws:profile) in its aws:region; by-hand mode takes the
student from the stack's kms-lab:keyUsers. Progress goes to stderr; the
report has one row per account and a cell per check group or task, with the
failures' details. An account that cannot be reached is a row saying why;
every 15 s, stderr names the accounts still waiting for an answer.
--format csv writes one line per account for a spreadsheet or a gradebook
(docs/report.md). --roster FILE names each stack's student in every format.
--out FILE is checked before the first account (it may not be a file the
run reads) and replaced only by a whole report.
Exit code 0 when every account passes, 1 when one fails, 2 on usage errors
or when an account could not be reached.`,
		Example: `  labctl class status classes/kms101.yaml --mode by-hand --format html --out kms101.html
  labctl class status classes/kms101.yaml --outputs-dir outputs/ --format markdown
  labctl class status classes/kms101.yaml --roster ~/rosters/kms101.csv --format csv --out grades.csv`,
		Args:              cmdutil.ClassFileArg,
		ValidArgsFunction: cmdutil.ClassFileCompletion,
		PreRunE: func(cmd *cobra.Command, args []string) error {
			opts.ClassFile = args[0]
			return cmdutil.CheckFlags(cmd, opts.validate(cmd.Flags().Changed("out")))
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	opts.Register(cmd, shared.Uses{Outputs: true, ParallelHelp: "accounts checked at once",
		ModeHelp: "`mode`: deployed (verify each stack against its outputs) or by-hand (check the lab's six tasks) (default: the class file's mode)"})
	fs := cmd.Flags()
	fs.StringVar(&opts.Format, "format", "table", "output `format`: "+strings.Join(formats(), ", "))
	fs.StringVar(&opts.Out, "out", "", "write the report to `FILE` instead of stdout")
	_ = cmd.MarkFlagFilename("out")
	return cmd
}

// formats are --format's values: class status's own, and the page.
func formats() []string { return append(classstatus.Formats(), "html") }

// write renders res in format.
func write(w io.Writer, res *classstatus.Result, format string) error {
	if format == "html" {
		return page.WriteHTML(w, res)
	}
	return classstatus.Write(w, res, format)
}

// validate reports every bad flag value together.
func (o *StatusOptions) validate(outGiven bool) error {
	problems := o.Problems([]class.Mode{class.Deployed, class.ByHand}, nil)
	if !slices.Contains(formats(), o.Format) {
		problems = append(problems, fmt.Sprintf("--format %q: use %s", o.Format, strings.Join(formats(), ", ")))
	}
	if outGiven && o.Out == "" {
		problems = append(problems, `--out "": give a file name; without --out the report goes to stdout`)
	}
	return cmdutil.Problems(problems)
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	c, roster, err := opts.Load(opts.IO.ErrOut)
	if err != nil {
		return err
	}
	if opts.Out != "" {
		// Before the first account: a report that cannot be written, or
		// that would overwrite what this run reads, costs nothing yet.
		if err := outfile.Check(opts.Out, opts.Inputs(c)...); err != nil {
			return cmdutil.FlagErrorf("--out %q: %s", opts.Out, err)
		}
	}
	r := opts.Runner(c, roster, shared.Deps{AWS: opts.AWS, Now: opts.Now, Progress: opts.IO.ErrOut})
	fmt.Fprintf(opts.IO.ErrOut, "checking %s of class %s (%s, %d at a time)\n", report.Plural(len(c.Stacks), "account"), c.Name, r.Mode, opts.Parallel)
	res := r.Run(ctx)

	if opts.Out == "" {
		if err := write(opts.IO.Out, res, opts.Format); err != nil {
			return fmt.Errorf("writing the class status: %w", err)
		}
	} else {
		if err := outfile.Write(opts.Out, func(w io.Writer) error { return write(w, res, opts.Format) }); err != nil {
			return fmt.Errorf("--out %s: %w", opts.Out, err)
		}
		fmt.Fprintf(opts.IO.ErrOut, "wrote %s: %d of %s pass\n", opts.Out, res.Complete(), report.Plural(len(res.Accounts), "account"))
	}
	return cmdutil.Finish(cmdutil.Outcome(res.Outcome()), nil)
}
