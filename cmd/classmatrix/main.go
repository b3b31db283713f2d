// Command classmatrix turns the class files into the job matrices of the
// preview, deploy, teardown and drift workflows. A class of more than 256
// stacks (GitHub's limit per matrix) is split into chunks: the outer matrix
// has one job per chunk, and each chunk job runs its own matrix of stacks.
//
//	classmatrix --purpose deploy [--class C] [--stack S] [--ci-role ARN] [--github-output FILE]
//
// A teardown splits by the class file's mode: deployed stacks in the matrix,
// by-hand classes in clean= (one labctl class clean job each).
//
// Exit codes: 0 ok, 1 the request is refused (teardown not confirmed, no CI
// role on a manual run, unknown stack), 2 usage error or invalid class files.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/classes"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, time.Now))
}

type options struct {
	req          classes.Request
	root         string
	event        string
	ciRole       string
	chunkSize    int
	githubOutput string
	summary      string
	annotate     bool
	now          string
}

// newCmd is the command, in the cobra shape labctl and labplan use
// (docs/labplan.md says why this stays a CI helper). parsed is set when the
// command line was valid and no help was asked for.
func newCmd(o *options, parsed *bool) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "classmatrix --purpose PURPOSE [--class C] [--stack S] [--ci-role ARN] [--github-output FILE]",
		Short: "Turn the class files into the workflows' job matrices",
		Long: `Turns classes/*.yaml into the job matrices of the preview, deploy, teardown
and drift workflows, in chunks of at most 256 stacks (GitHub's matrix limit).
A teardown also lists its by-hand classes (clean=), each torn down by
labctl class clean.

Exit codes: 0 ok, 1 the request is refused (teardown not confirmed, no CI
role on a manual run, unknown stack), 2 usage error or invalid class files.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if o.req.Purpose == "" {
				return errors.New("--purpose is required")
			}
			*parsed = true
			return nil
		},
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.req.Purpose, "purpose", "", fmt.Sprintf("one of %v", classes.Purposes()))
	fs.StringVar(&o.req.Class, "class", "", `one class, or "" / "all" for every class the purpose selects`)
	fs.StringVar(&o.req.Stack, "stack", "", "only this stack of the selected classes")
	fs.StringVar(&o.req.Confirm, "confirm", "", "teardown: the class name typed again")
	fs.DurationVar(&o.req.TeardownWindow, "teardown-window", 6*time.Hour, "scheduled-teardown: classes whose endsAt passed less than this long ago")
	fs.StringVar(&o.root, "root", ".", "the repository root (holds classes/ and the stack files)")
	fs.StringVar(&o.event, "event", "", "the GitHub event name (workflow_dispatch makes a missing CI role an error)")
	fs.StringVar(&o.ciRole, "ci-role", "", "the repository variable AWS_CI_ROLE_ARN; empty: nothing runs against AWS")
	fs.IntVar(&o.chunkSize, "chunk-size", classes.MaxMatrixJobs, "stacks per chunk (1-256)")
	fs.StringVar(&o.githubOutput, "github-output", "", "append matrix=, count= and chunks= (and clean=, clean-count= for a teardown) to this file ($GITHUB_OUTPUT); without it the result is printed as JSON")
	fs.StringVar(&o.summary, "summary", "", "append a Markdown summary to this file ($GITHUB_STEP_SUMMARY)")
	fs.BoolVar(&o.annotate, "annotate", false, "print problems as GitHub ::error annotations on their files")
	fs.StringVar(&o.now, "now", "", "the time to select for, RFC 3339 (default: now)")
	return cmd
}

func run(args []string, stdout, stderr io.Writer, clock func() time.Time) int {
	var o options
	parsed := false
	cmd := newCmd(&o, &parsed)
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	if err := cmd.Execute(); err != nil {
		fmt.Fprintf(stderr, "classmatrix: %v\n", err)
		return 2
	}
	if !parsed {
		return 0 // --help was printed
	}
	o.req.Now = clock().UTC()
	if o.now != "" {
		t, err := time.Parse(time.RFC3339, o.now)
		if err != nil {
			fmt.Fprintf(stderr, "classmatrix: --now %q: must be an RFC 3339 time such as 2026-12-04T17:00:00Z\n", o.now)
			return 2
		}
		o.req.Now = t.UTC()
	}
	res, code := compute(o, stdout, stderr)
	if code != 0 {
		return code
	}
	if err := write(o, res, stdout); err != nil {
		fmt.Fprintf(stderr, "classmatrix: %v\n", err)
		return 2
	}
	return 0
}
