// Command driftreport writes the drift workflow's report.
//
//	driftreport stack --class C --stack S --account A --region R \
//	    --exit-code N --preview preview.json [--stderr err.txt] [--error MSG] --out S.json
//	driftreport summary --matrix matrix.json --reports DIR --json drift.json [--markdown FILE]
//
// `stack` runs in each stack's job, after `pulumi preview --refresh
// --expect-no-changes --json`, and classifies the stack (in sync, drifted,
// unreachable). `summary` runs once, merges every stack's file, adds a row
// for each stack of the matrix whose job left no file, and writes the
// Markdown table and the JSON artifact. Exit codes: 0 written (whatever the
// drift), 2 usage or file errors.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/drift"
	"github.com/kms-lab/kms-lab/internal/labctl/outfile"
	"github.com/kms-lab/kms-lab/internal/valuetext"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit code, 0 or 2.
func run(args []string, stdout, stderr io.Writer) int {
	root := newCmdRoot(stdout, stderr)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		fmt.Fprintf(stderr, "driftreport: %v\n", err)
		return 2
	}
	return 0
}

// newCmdRoot is the command tree, in the cobra shape labctl and labplan
// use (docs/labplan.md says why this stays a CI helper).
func newCmdRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "driftreport",
		Short: "Write the drift workflow's report: one stack's, then the run's summary",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("a command is required: stack or summary")
			}
			return fmt.Errorf("unknown command %q: stack or summary", args[0])
		},
		RunE:              func(*cobra.Command, []string) error { return nil },
		SilenceErrors:     true,
		SilenceUsage:      true,
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newCmdStack(stdout), newCmdSummary(stdout))
	return root
}

func newCmdStack(stdout io.Writer) *cobra.Command {
	var r drift.Run
	var previewFile, stderrFile, out string
	cmd := &cobra.Command{
		Use:   "stack --stack S --out S.json {--preview preview.json [--stderr err.txt] --exit-code N | --error MSG}",
		Short: "Classify one stack (in sync, drifted, unreachable) from its preview",
		Long: `Runs in each stack's job, after pulumi preview --refresh --expect-no-changes
--json, and classifies the stack: in sync, drifted or unreachable.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if r.Stack == "" || out == "" {
				return errors.New("stack: --stack and --out are required")
			}
			if err := outfile.Check(out, outfile.Input{Role: "the preview", Path: previewFile},
				outfile.Input{Role: "the preview's stderr", Path: stderrFile}); err != nil {
				return fmt.Errorf("stack: --out %s: %w", valuetext.Quote(out), err)
			}
			if r.Error == "" {
				if previewFile == "" {
					return errors.New("stack: --preview is required unless --error says why there is none")
				}
				data, err := readOptional(previewFile)
				if err != nil {
					return err
				}
				r.Preview = data
				if stderrFile != "" {
					e, err := readOptional(stderrFile)
					if err != nil {
						return err
					}
					r.Stderr = string(e)
				}
			}
			rep := drift.Analyze(r)
			if err := writeJSON(out, rep); err != nil {
				return fmt.Errorf("stack: --out %s: %w", valuetext.Quote(out), err)
			}
			fmt.Fprintf(stdout, "%s: %s\n", rep.Stack, rep.Status)
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&r.Class, "class", "", "the stack's class")
	fs.StringVar(&r.Stack, "stack", "", "the stack (required)")
	fs.StringVar(&r.Account, "account", "", "the lab account")
	fs.StringVar(&r.Region, "region", "", "the stack's region")
	fs.IntVar(&r.ExitCode, "exit-code", 0, "the preview's exit code")
	fs.StringVar(&previewFile, "preview", "", "the preview's stdout (its JSON)")
	fs.StringVar(&stderrFile, "stderr", "", "the preview's stderr")
	fs.StringVar(&r.Error, "error", "", "why the job did not run the preview, if it did not")
	fs.StringVar(&out, "out", "", "write the stack's report (JSON) here (required)")
	return cmd
}

// readOptional reads a file a failed step may not have written: a missing
// file is empty, which Analyze reports as "printed no JSON".
func readOptional(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

func newCmdSummary(stdout io.Writer) *cobra.Command {
	var matrixFile, dir, jsonOut, markdown string
	cmd := &cobra.Command{
		Use:   "summary --reports DIR --json drift.json [--matrix matrix.json] [--markdown FILE]",
		Short: "Merge every stack's report into the run's table and JSON artifact",
		Long: `Runs once, merges every stack's file, adds a row for each stack of the
matrix whose job left no file, and writes the Markdown table and the JSON
artifact.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return summaryRun(stdout, matrixFile, dir, jsonOut, markdown)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&matrixFile, "matrix", "", "the matrix the run was given (classmatrix's matrix output)")
	fs.StringVar(&dir, "reports", "", "the directory of the stacks' reports (required)")
	fs.StringVar(&jsonOut, "json", "", "write the whole report (JSON) here (required)")
	fs.StringVar(&markdown, "markdown", "", "append the Markdown table here ($GITHUB_STEP_SUMMARY); default stdout")
	return cmd
}

func summaryRun(stdout io.Writer, matrixFile, dir, jsonOut, markdown string) error {
	if dir == "" || jsonOut == "" {
		return errors.New("summary: --reports and --json are required")
	}
	if err := checkSummaryOut(jsonOut, dir, matrixFile); err != nil {
		return fmt.Errorf("summary: --json %s: %w", valuetext.Quote(jsonOut), err)
	}
	reports, err := readReports(dir)
	if err != nil {
		return err
	}
	if matrixFile != "" {
		expected, err := readMatrix(matrixFile)
		if err != nil {
			return err
		}
		reports = addMissing(reports, expected)
	}
	rep := drift.NewReport(reports)
	if err := writeJSON(jsonOut, rep); err != nil {
		return fmt.Errorf("summary: --json %s: %w", valuetext.Quote(jsonOut), err)
	}
	md := drift.Markdown(rep)
	if markdown == "" {
		_, err := io.WriteString(stdout, md)
		return err
	}
	f, err := os.OpenFile(markdown, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open %s: %w", markdown, err)
	}
	if _, err := io.WriteString(f, md); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", markdown, err)
	}
	return f.Close()
}

func readReports(dir string) ([]drift.StackReport, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	sort.Strings(files)
	var out []drift.StackReport
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f, err)
		}
		var r drift.StackReport
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("%s is not a stack's drift report (driftreport stack --out): %w", f, err)
		}
		if r.Stack == "" || r.Status == "" {
			return nil, fmt.Errorf("%s is not a stack's drift report (driftreport stack --out): it has no stack and status", f)
		}
		out = append(out, r)
	}
	return out, nil
}

// readMatrix reads the chunked matrix back into its stacks.
func readMatrix(path string) ([]classes.Entry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var m classes.ChunkMatrix
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s is not a class matrix: %w", path, err)
	}
	var out []classes.Entry
	for _, job := range m.Include {
		var inner classes.StackMatrix
		if err := json.Unmarshal([]byte(job.Stacks), &inner); err != nil {
			return nil, fmt.Errorf("%s chunk %s: %w", path, job.Chunk, err)
		}
		out = append(out, inner.Include...)
	}
	return out, nil
}

// addMissing gives every stack whose job left no report its row: a stack
// that cannot be reached is a row, not a failed class.
func addMissing(reports []drift.StackReport, expected []classes.Entry) []drift.StackReport {
	have := map[string]bool{}
	for _, r := range reports {
		have[r.Stack] = true
	}
	for _, e := range expected {
		if !have[e.Stack] {
			reports = append(reports, drift.StackReport{
				Class: e.Class, Stack: e.Stack, Account: e.Account, Region: e.Region, Status: drift.Unreachable,
				Reason: "no report: the stack's job did not finish (cancelled, timed out, or failed before reporting); see its log",
			})
		}
	}
	return reports
}

// checkSummaryOut refuses a --json the summary reads: the matrix, or a
// file of --reports, which the summary (and any later one) would take for
// a stack's report.
func checkSummaryOut(jsonOut, dir, matrixFile string) error {
	inputs := []outfile.Input{{Role: "the matrix", Path: matrixFile}}
	reports, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, f := range reports {
		inputs = append(inputs, outfile.Input{Role: "a stack's report", Path: f})
	}
	if err := outfile.Check(jsonOut, inputs...); err != nil {
		return err
	}
	outDir, errOut := filepath.Abs(filepath.Dir(jsonOut))
	repDir, errRep := filepath.Abs(dir)
	if errOut == nil && errRep == nil && outDir == repDir && filepath.Ext(jsonOut) == ".json" {
		return fmt.Errorf("is in --reports %s, where every .json file is read as a stack's report: write it elsewhere", dir)
	}
	return nil
}

// writeJSON writes v, indented, to path in one rename (outfile.Write): a
// failed write leaves what was there.
func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("render %s: %w", path, err)
	}
	return outfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}
