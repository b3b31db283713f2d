// Package diff is `labplan diff`: compare two plans resource by resource,
// from two plan files or from a stack file at two git refs.
package diff

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labplan/cmdutil"
	"github.com/kms-lab/kms-lab/internal/plan"
)

// DiffOptions are the diff command's flags and arguments.
type DiffOptions struct {
	IO         *cmdutil.IOStreams
	Files      []string // OLD.json NEW.json, or none with the refs
	BaseRef    string
	HeadRef    string
	ConfigPath string
	Format     string
	Target     plan.Options
}

// NewCmdDiff builds the diff command; runF, when not nil, runs instead of
// diffRun.
func NewCmdDiff(f *cmdutil.Factory, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "diff {OLD.json NEW.json | --base-ref REF --head-ref REF --config Pulumi.<stack>.yaml}",
		Short: "Compare two plans resource by resource",
		Long: `Compare two plans resource by resource: + added, - removed, ~ changed,
with each changed input path. Policy statements are matched by Sid.

The plans come from two files written by labplan --format json, or from the
stack file rendered at two git refs of its repository (each side with the
program of its own ref).`,
		Example: `  labplan diff old.json new.json --format markdown
  labplan diff --base-ref origin/main --head-ref HEAD --config Pulumi.dev.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			var problems []string
			if err := cmdutil.OneOf("format", opts.Format, "text", "markdown", "json"); err != nil {
				problems = append(problems, err.Error())
			}
			byRef := opts.BaseRef != "" || opts.HeadRef != ""
			switch {
			case byRef && (opts.BaseRef == "" || opts.HeadRef == "" || opts.ConfigPath == "" || len(args) > 0):
				problems = append(problems, fmt.Sprintf("diff by git refs needs --base-ref, --head-ref and --config, and no plan files (got %d file argument(s))", len(args)))
			case !byRef && len(args) != 2:
				problems = append(problems, fmt.Sprintf("diff needs two plan files OLD.json NEW.json (got %d), or --base-ref, --head-ref and --config", len(args)))
			}
			problems = append(problems, cmdutil.TargetProblems(cmd.Flags(), opts.Target)...)
			if err := cmdutil.Problems(problems); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return diffRun(opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.Format, "format", "text", "output `format`: text, markdown or json")
	fs.StringVar(&opts.BaseRef, "base-ref", "", "git `ref` of the old config")
	fs.StringVar(&opts.HeadRef, "head-ref", "", "git `ref` of the new config")
	fs.StringVar(&opts.ConfigPath, "config", "", "stack config `file`, with --base-ref/--head-ref")
	cmdutil.AddTargetFlags(cmd, &opts.Target)
	return cmd
}

func diffRun(opts *DiffOptions) error {
	var oldPlan, newPlan *plan.Plan
	var title string
	var err error
	if len(opts.Files) == 2 {
		if oldPlan, err = readPlan(opts.Files[0]); err != nil {
			return err
		}
		if newPlan, err = readPlan(opts.Files[1]); err != nil {
			return err
		}
		title = fmt.Sprintf("`%s`", newPlan.Stack)
	} else {
		repo := filepath.Dir(opts.ConfigPath)
		if oldPlan, err = plan.RenderAtRef(repo, opts.BaseRef, opts.ConfigPath, opts.Target); err != nil {
			return err
		}
		if newPlan, err = plan.RenderAtRef(repo, opts.HeadRef, opts.ConfigPath, opts.Target); err != nil {
			return err
		}
		title = fmt.Sprintf("`%s` (%s → %s)", newPlan.Stack, opts.BaseRef, opts.HeadRef)
	}
	changes := plan.Diff(oldPlan, newPlan)
	switch opts.Format {
	case "markdown":
		return plan.WriteDiffMarkdown(opts.IO.Out, title, changes)
	case "json":
		return plan.WriteDiffJSON(opts.IO.Out, changes)
	}
	return plan.WriteDiffText(opts.IO.Out, changes)
}

func readPlan(path string) (*plan.Plan, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	defer f.Close()
	p, err := plan.ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}
