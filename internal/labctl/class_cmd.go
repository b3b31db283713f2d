package labctl

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
)

type classStatusFlags struct {
	mode       string
	parallel   int
	format     string
	out        string
	outputsDir string
	stacksDir  string
	endpoint   string
}

// newClassCmd is `labctl class`, which only groups its subcommands;
// Run refuses it without one.
func (a *App) newClassCmd(run runFunc) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "class",
		Short: "See a whole class: class status",
		Long:  classLong,
	}
	cmd.AddCommand(a.newClassStatusCmd(run))
	return cmd
}

func (a *App) newClassStatusCmd(run runFunc) *cobra.Command {
	var f classStatusFlags
	cmd := &cobra.Command{
		Use:   "status classes/<class>.yaml [flags]",
		Short: "Check every lab account of a class and report one row per account",
		Long:  classStatusLong,
		Example: `  labctl class status classes/kms101.yaml --mode by-hand --format html --out kms101.html
  labctl class status classes/kms101.yaml --outputs-dir outputs/ --format markdown`,
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return []cobra.Completion{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.mode, "mode", "", "`mode`: deployed (verify each stack against its outputs) or by-hand (check the lab's six tasks) (default: the class file's mode)")
	fs.IntVar(&f.parallel, "parallel", 8, "accounts checked at once")
	fs.StringVar(&f.format, "format", "table", "output `format`: table, json, markdown or html")
	fs.StringVar(&f.out, "out", "", "write the report to `FILE` instead of stdout")
	fs.StringVar(&f.outputsDir, "outputs-dir", "", "deployed mode: read each stack's outputs from `DIR`/<stack>.json instead of `pulumi stack output`")
	fs.StringVar(&f.stacksDir, "stacks-dir", "", "where the Pulumi.<stack>.yaml files are (default: the class file's directory's parent)")
	fs.StringVar(&f.endpoint, "endpoint-url", "", "AWS endpoint `URL` for an emulator; S3 is then addressed path-style")
	_ = cmd.MarkFlagFilename("out")
	_ = cmd.MarkFlagDirname("outputs-dir")
	_ = cmd.MarkFlagDirname("stacks-dir")
	cmd.RunE = run(func(ctx context.Context, args []string) (int, error) { return a.classStatus(ctx, &f, args) })
	return cmd
}

func (f *classStatusFlags) validate() error {
	var problems []string
	if f.mode != "" && f.mode != string(class.Deployed) && f.mode != string(class.ByHand) {
		problems = append(problems, fmt.Sprintf("--mode %q: use deployed or by-hand", f.mode))
	}
	if f.parallel < 1 || f.parallel > 64 {
		problems = append(problems, fmt.Sprintf("--parallel %d: use 1 to 64", f.parallel))
	}
	if !slices.Contains(class.Formats(), f.format) {
		problems = append(problems, fmt.Sprintf("--format %q: use %s", f.format, strings.Join(class.Formats(), ", ")))
	}
	if f.outputsDir != "" && f.mode == string(class.ByHand) {
		problems = append(problems, "--outputs-dir: only for --mode deployed (by-hand labs have no stack outputs)")
	}
	if len(problems) > 0 {
		return usageError(strings.Join(problems, "; "))
	}
	return nil
}

func (a *App) classStatus(ctx context.Context, f *classStatusFlags, positional []string) (int, error) {
	if len(positional) != 1 {
		return ExitError, usageError("class status takes one class file: labctl class status classes/<class>.yaml")
	}
	if err := f.validate(); err != nil {
		return ExitError, err
	}
	c, err := class.Load(positional[0], f.stacksDir)
	if err != nil {
		return ExitError, err
	}
	if f.mode == "" {
		f.mode = string(c.Mode)
	}
	if f.outputsDir != "" && f.mode == string(class.ByHand) {
		return ExitError, usageError(fmt.Sprintf("--outputs-dir: %s says mode: by-hand, which has no stack outputs; drop --outputs-dir or pass --mode deployed", positional[0]))
	}
	projectDir := f.stacksDir
	if projectDir == "" {
		projectDir = filepath.Dir(filepath.Dir(positional[0]))
	}
	r := &class.Runner{
		Class: c, Mode: class.Mode(f.mode), Parallel: f.parallel, Endpoint: f.endpoint,
		OutputsDir: f.outputsDir, ProjectDir: projectDir, Progress: a.Stderr, Now: a.Now,
	}
	fmt.Fprintf(a.Stderr, "checking %d accounts of class %s (%s, %d at a time)\n", len(c.Stacks), c.Name, f.mode, f.parallel)
	res := r.Run(ctx)

	var w io.Writer = a.Stdout
	var file *os.File
	if f.out != "" {
		if file, err = os.Create(f.out); err != nil {
			return ExitError, fmt.Errorf("--out: %w", err)
		}
		w = file
	}
	err = class.Write(w, res, f.format)
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return ExitError, fmt.Errorf("writing the class status: %w", err)
	}
	if f.out != "" {
		fmt.Fprintf(a.Stderr, "wrote %s: %d of %d accounts pass\n", f.out, res.Complete(), len(res.Accounts))
	}
	return res.ExitCode(), nil
}
