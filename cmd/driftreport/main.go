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
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/drift"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "driftreport: a command is required: stack or summary")
		return 2
	}
	var err error
	switch args[0] {
	case "stack":
		err = stackCmd(args[1:], stdout, stderr)
	case "summary":
		err = summaryCmd(args[1:], stdout, stderr)
	default:
		err = fmt.Errorf("unknown command %q: stack or summary", args[0])
	}
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(stderr, "driftreport: %v\n", err)
		}
		return 2
	}
	return 0
}

func stackCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("driftreport stack", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var r drift.Run
	var previewFile, stderrFile, out string
	fs.StringVar(&r.Class, "class", "", "the stack's class")
	fs.StringVar(&r.Stack, "stack", "", "the stack (required)")
	fs.StringVar(&r.Account, "account", "", "the lab account")
	fs.StringVar(&r.Region, "region", "", "the stack's region")
	fs.IntVar(&r.ExitCode, "exit-code", 0, "the preview's exit code")
	fs.StringVar(&previewFile, "preview", "", "the preview's stdout (its JSON)")
	fs.StringVar(&stderrFile, "stderr", "", "the preview's stderr")
	fs.StringVar(&r.Error, "error", "", "why the job did not run the preview, if it did not")
	fs.StringVar(&out, "out", "", "write the stack's report (JSON) here (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if r.Stack == "" || out == "" {
		return errors.New("stack: --stack and --out are required")
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
		return err
	}
	fmt.Fprintf(stdout, "%s: %s\n", rep.Stack, rep.Status)
	return nil
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

func summaryCmd(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("driftreport summary", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var matrixFile, dir, jsonOut, markdown string
	fs.StringVar(&matrixFile, "matrix", "", "the matrix the run was given (classmatrix's matrix output)")
	fs.StringVar(&dir, "reports", "", "the directory of the stacks' reports (required)")
	fs.StringVar(&jsonOut, "json", "", "write the whole report (JSON) here (required)")
	fs.StringVar(&markdown, "markdown", "", "append the Markdown table here ($GITHUB_STEP_SUMMARY); default stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if dir == "" || jsonOut == "" {
		return errors.New("summary: --reports and --json are required")
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
		return err
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

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("render %s: %w", path, err)
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
