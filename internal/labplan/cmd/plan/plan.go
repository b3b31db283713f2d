// Package plan is `labplan plan`, also what `labplan` alone runs: render
// what `pulumi up` would create for a stack, on Pulumi's mock engine.
package plan

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labplan/cmdutil"
	"github.com/kms-lab/kms-lab/internal/plan"
)

// PlanOptions are the plan command's flags.
type PlanOptions struct {
	IO         *cmdutil.IOStreams
	ConfigPath string
	ProjectDir string
	Format     string
	Target     plan.Options
}

// NewCmdPlan builds the plan command; runF, when not nil, runs instead of
// planRun (tests look at the parsed options).
func NewCmdPlan(f *cmdutil.Factory, runF func(*PlanOptions) error) *cobra.Command {
	opts := &PlanOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "plan --config Pulumi.<stack>.yaml",
		Short: "Render what pulumi up would create for a stack, offline",
		Long:  Long,
		Example: `  labplan plan --config Pulumi.dev.yaml
  labplan plan --config Pulumi.dev.yaml --format json --account 111122223333`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return Run(cmd, opts, runF)
		},
	}
	AddFlags(cmd, opts)
	return cmd
}

// Long is the plan's help; the root command, which plans when no subcommand
// is named, starts its own help with it.
const Long = `Render what pulumi up would create for a kms-lab stack, without AWS
credentials, the Pulumi CLI or a network: the real program runs on Pulumi's
mock engine, fed by a Pulumi.<stack>.yaml and its Pulumi.yaml.

Pulumi.yaml is read from --project-dir, else next to the stack file, else
from the current directory or its nearest parent with one. An invalid stack
file exits with code 2 and lists every problem on stderr; nothing is written
to stdout unless the plan was made.`

// AddFlags registers the plan flags; the root command, which plans when no
// subcommand is named, takes the same ones.
func AddFlags(cmd *cobra.Command, opts *PlanOptions) {
	fs := cmd.Flags()
	fs.StringVar(&opts.ConfigPath, "config", "", "stack config `file` Pulumi.<stack>.yaml (required)")
	fs.StringVar(&opts.ProjectDir, "project-dir", "", "`directory` of the project's Pulumi.yaml (default: the stack file's directory if it has one, else the current directory or its nearest parent with one)")
	fs.StringVar(&opts.Format, "format", "text", "output `format`: json, text or markdown")
	cmdutil.AddTargetFlags(cmd, &opts.Target)
}

// Run checks every flag cmd parsed into opts, then plans; the root command
// calls it.
func Run(cmd *cobra.Command, opts *PlanOptions, runF func(*PlanOptions) error) error {
	var problems []string
	if opts.ConfigPath == "" {
		problems = append(problems, "--config is required: the stack file Pulumi.<stack>.yaml to plan")
	}
	if err := cmdutil.OneOf("format", opts.Format, "json", "text", "markdown"); err != nil {
		problems = append(problems, err.Error())
	}
	problems = append(problems, cmdutil.TargetProblems(cmd.Flags(), opts.Target)...)
	if err := cmdutil.Problems(problems); err != nil {
		return err
	}
	if runF != nil {
		return runF(opts)
	}
	return planRun(opts)
}

func planRun(opts *PlanOptions) error {
	p, err := plan.RenderFile(opts.ProjectDir, opts.ConfigPath, opts.Target)
	if err != nil {
		return err
	}
	return writer(opts.Format)(opts.IO.Out, p)
}

func writer(format string) func(io.Writer, *plan.Plan) error {
	switch format {
	case "json":
		return plan.WriteJSON
	case "markdown":
		return plan.WriteMarkdown
	}
	return plan.WriteText
}
