// Package root is labplan's root command: `labplan` alone plans (the
// documented default), and it holds the plan, diff, deployer-policy and
// version subcommands. Main runs it and maps its error to the exit code.
package root

import (
	"bytes"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labplan/cmd/deployerpolicy"
	"github.com/kms-lab/kms-lab/internal/labplan/cmd/diff"
	plancmd "github.com/kms-lab/kms-lab/internal/labplan/cmd/plan"
	"github.com/kms-lab/kms-lab/internal/labplan/cmd/version"
	"github.com/kms-lab/kms-lab/internal/labplan/cmdutil"
)

// NewCmdRoot builds labplan's command tree. planF, when not nil, runs
// instead of the plan (the root's own and the plan subcommand's).
func NewCmdRoot(f *cmdutil.Factory, planF func(*plancmd.PlanOptions) error) *cobra.Command {
	opts := &plancmd.PlanOptions{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "labplan [plan] --config Pulumi.<stack>.yaml",
		Short: "The kms-lab stack's offline plan, plan diffs and deployer policy",
		Long: plancmd.Long + `

Without a subcommand, labplan plans: "labplan --config F" is "labplan plan
--config F". Exit codes: 0 done, 1 the result could not be written to
stdout, 2 a usage mistake, an invalid stack file or a failed render.`,
		Example: `  labplan --config Pulumi.dev.yaml
  labplan diff old.json new.json --format markdown
  labplan deployer-policy --config Pulumi.kms101-acct01.yaml
  labplan version`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return cmdutil.FlagErrorf("unknown command %q for labplan: the commands are plan, diff, deployer-policy and version", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return plancmd.Run(cmd, opts, planF)
		},
		SilenceErrors: true,
		SilenceUsage:  true,
		// `labplan version` is the version; no --version flag beside it.
		CompletionOptions: cobra.CompletionOptions{HiddenDefaultCmd: true},
	}
	plancmd.AddFlags(cmd, opts)
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return cmdutil.FlagErrorWrap(fmt.Errorf("%w (see %s --help)", err, c.CommandPath()))
	})
	cmd.AddCommand(
		plancmd.NewCmdPlan(f, planF),
		diff.NewCmdDiff(f, nil),
		deployerpolicy.NewCmdDeployerPolicy(f, nil),
		version.NewCmdVersion(f),
	)
	return cmd
}

// Main runs labplan with args and returns the exit code. Nothing is written
// to stdout unless the whole command succeeded: a failed plan leaves no half
// a document for a script to read.
func Main(f *cmdutil.Factory, args []string) int {
	stdout := f.IOStreams.Out
	var out bytes.Buffer
	buffered := *f
	buffered.IOStreams = &cmdutil.IOStreams{Out: &out, ErrOut: f.IOStreams.ErrOut}
	cmd := NewCmdRoot(&buffered, nil)
	cmd.SetArgs(args)
	err := cmd.Execute()
	if err == nil {
		if _, werr := stdout.Write(out.Bytes()); werr != nil {
			err = &cmdutil.WriteError{Err: werr}
		}
	}
	if err != nil {
		fmt.Fprintf(f.IOStreams.ErrOut, "labplan: %v\n", err)
	}
	return cmdutil.ExitCode(err)
}
