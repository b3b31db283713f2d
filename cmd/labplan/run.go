package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
)

const usage = `usage:
  labplan --config Pulumi.<stack>.yaml [--project-dir DIR] [--format json|text|markdown]
          [--account ID] [--region R] [--partition aws|aws-cn|aws-us-gov]
          [--caller-arn ARN] [--role-path PATH]
  labplan diff OLD.json NEW.json [--format text|markdown|json]
  labplan diff --base-ref REF --head-ref REF --config Pulumi.<stack>.yaml [--format text|markdown|json]
`

// run is main without the process: it returns the exit code. Nothing is
// written to stdout unless the whole command succeeded.
func run(args []string, stdout, stderr io.Writer) int {
	var out bytes.Buffer
	var err error
	if len(args) > 0 && args[0] == "diff" {
		err = runDiff(args[1:], &out, stderr)
	} else if len(args) > 0 && args[0] == "deployer-policy" {
		err = runDeployerPolicy(args[1:], &out, stderr)
	} else {
		err = runPlan(args, &out, stderr)
	}
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "labplan: %v\n", err)
		}
		return 2
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintf(stderr, "labplan: write output: %v\n", err)
		return 1
	}
	return 0
}

type targetFlags struct {
	opts plan.Options
}

func (t *targetFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&t.opts.AccountID, "account", "", "account ID the caller-identity data source answers (default: the stack's single aws:allowedAccountIds entry, else 111122223333, AWS's documentation example)")
	fs.StringVar(&t.opts.Region, "region", "", "region the region data source answers (default: the stack's aws:region)")
	fs.StringVar(&t.opts.Partition, "partition", "", "partition: aws (default), aws-cn or aws-us-gov")
	fs.StringVar(&t.opts.CallerARN, "caller-arn", "", "identity running pulumi up (default: a session of the stack's aws:assumeRole role, else IAM user AWSLabsUser-example); an assumed-role session maps to its role")
	fs.StringVar(&t.opts.RolePath, "role-path", "", "IAM path of the caller's role, for an assumed-role --caller-arn (default /)")
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	return fs
}

func runPlan(args []string, out io.Writer, stderr io.Writer) error {
	fs := newFlagSet("labplan", stderr)
	configPath := fs.String("config", "", "stack config file Pulumi.<stack>.yaml")
	projectDir := fs.String("project-dir", "", "directory of the project's Pulumi.yaml (default: the stack file's directory if it has one, else the current directory or its nearest parent with one)")
	format := fs.String("format", "text", "output format: json, text or markdown")
	var t targetFlags
	t.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q\n%s", fs.Arg(0), usage)
	}
	if *configPath == "" {
		return fmt.Errorf("--config is required\n%s", usage)
	}
	write, err := planWriter(*format)
	if err != nil {
		return err
	}
	sc, err := stackconfig.Load(*projectDir, *configPath)
	if err != nil {
		return err
	}
	p, err := plan.Render(sc, t.opts)
	if err != nil {
		return err
	}
	return write(out, p)
}

func planWriter(format string) (func(io.Writer, *plan.Plan) error, error) {
	switch format {
	case "json":
		return plan.WriteJSON, nil
	case "text":
		return plan.WriteText, nil
	case "markdown":
		return plan.WriteMarkdown, nil
	}
	return nil, fmt.Errorf("--format %q: must be json, text or markdown", format)
}

func runDiff(args []string, out io.Writer, stderr io.Writer) error {
	fs := newFlagSet("labplan diff", stderr)
	format := fs.String("format", "text", "output format: text, markdown or json")
	baseRef := fs.String("base-ref", "", "git ref of the old config")
	headRef := fs.String("head-ref", "", "git ref of the new config")
	configPath := fs.String("config", "", "stack config file, with --base-ref/--head-ref")
	var t targetFlags
	t.register(fs)
	// Flags may follow the two file names.
	var files []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	var oldPlan, newPlan *plan.Plan
	var title string
	switch {
	case *baseRef != "" || *headRef != "":
		if *baseRef == "" || *headRef == "" || *configPath == "" || len(files) > 0 {
			return fmt.Errorf("diff by git refs needs --base-ref, --head-ref and --config, and no plan files\n%s", usage)
		}
		repo := filepath.Dir(*configPath)
		var err error
		if oldPlan, err = plan.RenderAtRef(repo, *baseRef, *configPath, t.opts); err != nil {
			return err
		}
		if newPlan, err = plan.RenderAtRef(repo, *headRef, *configPath, t.opts); err != nil {
			return err
		}
		title = fmt.Sprintf("`%s` (%s → %s)", newPlan.Stack, *baseRef, *headRef)
	case len(files) == 2:
		var err error
		if oldPlan, err = readPlan(files[0]); err != nil {
			return err
		}
		if newPlan, err = readPlan(files[1]); err != nil {
			return err
		}
		title = fmt.Sprintf("`%s`", newPlan.Stack)
	default:
		return fmt.Errorf("diff needs OLD.json NEW.json, or --base-ref, --head-ref and --config\n%s", usage)
	}
	changes := plan.Diff(oldPlan, newPlan)
	switch *format {
	case "text":
		return plan.WriteDiffText(out, changes)
	case "markdown":
		return plan.WriteDiffMarkdown(out, title, changes)
	case "json":
		return plan.WriteDiffJSON(out, changes)
	}
	return fmt.Errorf("--format %q: must be text, markdown or json", *format)
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
