// Package status is `labctl class status`: every lab account of a class
// checked, one report row per account.
package status

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
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

	ClassFile  string
	Mode       string
	Parallel   int
	Format     string
	Out        string
	OutputsDir string
	StacksDir  string
	Endpoint   string
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
failures' details. An account that cannot be reached is a row saying why.
Exit code 0 when every account passes, 1 when one fails, 2 on usage errors
or when an account could not be reached.`,
		Example: `  labctl class status classes/kms101.yaml --mode by-hand --format html --out kms101.html
  labctl class status classes/kms101.yaml --outputs-dir outputs/ --format markdown`,
		Args:              cmdutil.ClassFileArg,
		ValidArgsFunction: cmdutil.ClassFileCompletion,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ClassFile = args[0]
			if err := opts.validate(cmd.Flags().Changed("out")); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.Mode, "mode", "", "`mode`: deployed (verify each stack against its outputs) or by-hand (check the lab's six tasks) (default: the class file's mode)")
	fs.IntVar(&opts.Parallel, "parallel", 8, "accounts checked at once")
	fs.StringVar(&opts.Format, "format", "table", "output `format`: table, json, markdown or html")
	fs.StringVar(&opts.Out, "out", "", "write the report to `FILE` instead of stdout")
	fs.StringVar(&opts.OutputsDir, "outputs-dir", "", "deployed mode: read each stack's outputs from `DIR`/<stack>.json instead of `pulumi stack output`")
	fs.StringVar(&opts.StacksDir, "stacks-dir", "", "where the Pulumi.<stack>.yaml files are (default: the class file's directory's parent)")
	// Only the endpoint: each account's profile, role and region come
	// from its stack file.
	fs.StringVar(&opts.Endpoint, "endpoint-url", "", "AWS endpoint `URL` for an emulator; S3 is then addressed path-style")
	_ = cmd.MarkFlagFilename("out")
	_ = cmd.MarkFlagDirname("outputs-dir")
	_ = cmd.MarkFlagDirname("stacks-dir")
	return cmd
}

// validate reports every bad flag value together.
func (o *StatusOptions) validate(outGiven bool) error {
	var problems []string
	if outGiven && o.Out == "" {
		problems = append(problems, `--out "": give a file name; without --out the report goes to stdout`)
	}
	if o.Mode != "" && o.Mode != string(class.Deployed) && o.Mode != string(class.ByHand) {
		problems = append(problems, fmt.Sprintf("--mode %q: use deployed or by-hand", o.Mode))
	}
	if o.Parallel < 1 || o.Parallel > 64 {
		problems = append(problems, fmt.Sprintf("--parallel %d: use 1 to 64", o.Parallel))
	}
	if !slices.Contains(class.Formats(), o.Format) {
		problems = append(problems, fmt.Sprintf("--format %q: use %s", o.Format, strings.Join(class.Formats(), ", ")))
	}
	if o.OutputsDir != "" && o.Mode == string(class.ByHand) {
		problems = append(problems, "--outputs-dir: only for --mode deployed (by-hand labs have no stack outputs)")
	}
	if len(problems) > 0 {
		return cmdutil.FlagErrorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	c, err := class.Load(opts.ClassFile, opts.StacksDir)
	if err != nil {
		return err
	}
	if opts.Mode == "" {
		opts.Mode = string(c.Mode)
		if opts.OutputsDir != "" && c.Mode == class.ByHand {
			return cmdutil.FlagErrorf("--outputs-dir: %s says mode: by-hand, which has no stack outputs; drop --outputs-dir or pass --mode deployed", opts.ClassFile)
		}
	}
	projectDir := opts.StacksDir
	if projectDir == "" {
		projectDir = filepath.Dir(filepath.Dir(opts.ClassFile))
	}
	r := &class.Runner{
		Class: c, Mode: class.Mode(opts.Mode), Parallel: opts.Parallel, Endpoint: opts.Endpoint,
		OutputsDir: opts.OutputsDir, ProjectDir: projectDir, Progress: opts.IO.ErrOut, Now: opts.Now, AWS: opts.AWS,
	}
	if opts.Out != "" {
		// Before the first account: a report that cannot be written, or
		// that would overwrite what this run reads, costs nothing yet.
		if err := outfile.Check(opts.Out, inputs(opts, c)...); err != nil {
			return cmdutil.FlagErrorf("--out %q: %s", opts.Out, err)
		}
	}
	fmt.Fprintf(opts.IO.ErrOut, "checking %s of class %s (%s, %d at a time)\n", report.Plural(len(c.Stacks), "account"), c.Name, opts.Mode, opts.Parallel)
	res := r.Run(ctx)

	if opts.Out == "" {
		if err := class.Write(opts.IO.Out, res, opts.Format); err != nil {
			return fmt.Errorf("writing the class status: %w", err)
		}
	} else {
		if err := outfile.Write(opts.Out, func(w io.Writer) error { return class.Write(w, res, opts.Format) }); err != nil {
			return fmt.Errorf("--out %s: %w", opts.Out, err)
		}
		fmt.Fprintf(opts.IO.ErrOut, "wrote %s: %d of %s pass\n", opts.Out, res.Complete(), report.Plural(len(res.Accounts), "account"))
	}
	if code := res.ExitCode(); code != cmdutil.ExitOK {
		return &cmdutil.ExitCodeError{Code: code}
	}
	return nil
}

// inputs are the files a run reads, which --out must not name.
func inputs(opts *StatusOptions, c *class.Class) []outfile.Input {
	in := []outfile.Input{{Role: "the class file", Path: opts.ClassFile}}
	for _, st := range c.Stacks {
		in = append(in, outfile.Input{Role: "the stack file of " + st.Name, Path: st.File})
		if opts.OutputsDir != "" {
			in = append(in, outfile.Input{Role: "the outputs file of " + st.Name, Path: filepath.Join(opts.OutputsDir, st.Name+".json")})
		}
	}
	return in
}
