// Package clean is `labctl class clean`: labctl clean in every lab account
// of a class, one report row per account.
package clean

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
	labclean "github.com/kms-lab/kms-lab/internal/labctl/clean"
	"github.com/kms-lab/kms-lab/internal/labctl/cmd/class/shared"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/report"
)

// CleanOptions are class clean's flags and what it takes from the Factory.
type CleanOptions struct {
	IO  *cmdutil.IOStreams
	AWS cmdutil.AWSConnector
	Now func() time.Time

	shared.ClassFlags
	Format string
	Clean  labclean.Options
}

// NewCmdClean builds `labctl class clean`; runF, when set, runs instead of
// cleanRun.
func NewCmdClean(f *cmdutil.Factory, runF func(*CleanOptions) error) *cobra.Command {
	opts := &CleanOptions{IO: f.IOStreams, AWS: f.AWS, Now: f.Now, Clean: labclean.GuideOptions()}
	cmd := &cobra.Command{
		Use:   "clean classes/<class>.yaml [flags]",
		Short: "Remove the labs done by hand in every account of a class (dry run unless --yes)",
		Long: `Runs labctl clean in every lab account of a class, a few at a time, each
reached with the credentials its Pulumi.<stack>.yaml declares (aws:assumeRole,
aws:profile) in its aws:region, as class status reaches them. Without --yes
it is a dry run. Resources tagged kms-lab:stack are kept: a deployed class is
torn down with pulumi destroy, stack by stack (the teardown workflow), so
--mode deployed is refused, as is a class file that says mode: deployed or
no mode, unless --mode by-hand says its accounts hold labs done by hand.

The report has one row per account: clean, planned (dry run), left (with
what is left and why) or unreachable (with the error); the other accounts
are cleaned all the same. --roster FILE names each stack's student in the
progress lines and the report: a STUDENT column in the table and markdown,
"student": {"name", "email", "id"} in --format json (as class status). Every
15 s, stderr names the accounts still waiting for an answer. --format json
prints {"class", "dryRun", "accounts": [{"stack", "student", "account",
"region", "status", "error", "actions": [...]}]}, actions as labctl clean
--json prints them. Exit code 0 when
nothing is left in any account, 1 when something is left in one, 2 on usage
errors or when an account could not be reached or read.`,
		Example: `  labctl class clean classes/kms101.yaml --mode by-hand
  labctl class clean classes/kms101.yaml --mode by-hand --yes --format markdown >> "$GITHUB_STEP_SUMMARY"`,
		Args:              cmdutil.ClassFileArg,
		ValidArgsFunction: cmdutil.ClassFileCompletion,
		PreRunE: func(cmd *cobra.Command, args []string) error {
			opts.ClassFile = args[0]
			return cmdutil.CheckFlags(cmd, opts.validate())
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return cleanRun(cmd.Context(), opts)
		},
	}
	opts.Register(cmd, shared.Uses{ParallelHelp: "accounts cleaned at once",
		ModeHelp: "`mode` of the class: by-hand (clean by the guide's names); deployed classes are torn down with pulumi destroy (default: the class file's mode)"})
	fs := cmd.Flags()
	fs.StringVar(&opts.Format, "format", "table", "output `format`: "+strings.Join(labclean.ClassFormats(), ", "))
	fs.IntVar(&opts.Clean.KeyDeletionDays, "key-deletion-days", opts.Clean.KeyDeletionDays, "`days` KMS waits before deleting each key, 7 to 30")
	fs.BoolVar(&opts.Clean.Yes, "yes", false, "remove; without it, only print what would be removed")
	return cmd
}

// validate reports every bad flag value together.
func (o *CleanOptions) validate() error {
	problems := o.Problems([]class.Mode{class.ByHand}, map[class.Mode]string{
		class.Deployed: "a deployed class's resources belong to its stacks; tear them down with `pulumi destroy --stack S` (the teardown workflow), not clean"})
	if !slices.Contains(labclean.ClassFormats(), o.Format) {
		problems = append(problems, fmt.Sprintf("--format %q: use %s", o.Format, strings.Join(labclean.ClassFormats(), ", ")))
	}
	if err := o.Clean.Validate(); err != nil {
		problems = append(problems, cmdutil.FlagText(err))
	}
	if len(problems) > 0 {
		return cmdutil.FlagErrorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

func cleanRun(ctx context.Context, opts *CleanOptions) error {
	c, roster, err := opts.Load(opts.IO.ErrOut)
	if err != nil {
		return err
	}
	if opts.Mode == "" && c.Mode == class.Deployed {
		return cmdutil.FlagErrorf("%s says mode: deployed (the default): its stacks own the lab's resources; tear them down with `pulumi destroy --stack S` (the teardown workflow), or pass --mode by-hand to remove labs done by hand in those accounts", opts.ClassFile)
	}
	r := &labclean.ClassRunner{Class: c, Connect: opts.AWS, Options: opts.Clean, Parallel: opts.Parallel,
		Endpoint: opts.Endpoint, Progress: opts.IO.ErrOut, WaitTick: shared.WaitTicker(opts.IO.ErrOut), Roster: roster, Now: opts.Now}
	what := "cleaning"
	if !opts.Clean.Yes {
		what = "dry run: looking for the lab in"
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s %s of class %s (%d at a time)\n", what, report.Plural(len(c.Stacks), "account"), c.Name, opts.Parallel)
	rep := r.Run(ctx)
	if err := labclean.WriteClass(opts.IO.Out, rep, opts.Format); err != nil {
		return fmt.Errorf("writing the class report: %w", err)
	}
	switch rep.Outcome() {
	case labclean.Left:
		return cmdutil.Finish(cmdutil.Failed, nil)
	case labclean.Denied:
		return cmdutil.Finish(cmdutil.Unknown, nil)
	}
	return nil
}
