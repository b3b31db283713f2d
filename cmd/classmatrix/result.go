package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kms-lab/kms-lab/internal/classes"
)

// result is what the workflows read.
type result struct {
	Count  int                 `json:"count"`
	Chunks int                 `json:"chunks"`
	Matrix classes.ChunkMatrix `json:"matrix"`
	// Clean is a teardown's by-hand classes, each one job of labctl class
	// clean; CleanCount how many. Empty for the other purposes.
	Clean      cleanMatrix `json:"clean"`
	CleanCount int         `json:"cleanCount"`
	// Notice explains an empty matrix that is not an error.
	Notice  string `json:"notice,omitempty"`
	purpose string
	entries []classes.Entry
}

// maxOutputBytes keeps the matrix under GitHub's 1 MB limit for a job's
// outputs (docs.github.com, "Actions limits"), with room for the rest.
const maxOutputBytes = 900_000

func compute(o options, stdout, stderr io.Writer) (result, int) {
	repo, err := classes.Load(o.root)
	if err != nil {
		report(err, o.annotate, stdout, stderr)
		return result{}, 2
	}
	clean := cleanMatrix{Include: []cleanJob{}}
	var entries []classes.Entry
	if isTeardown(o.req.Purpose) {
		entries, clean, err = selectTeardown(repo, o.req)
	} else {
		entries, err = repo.Select(o.req)
	}
	if err != nil {
		report(err, o.annotate, stdout, stderr)
		return result{}, 1
	}
	res := result{purpose: o.req.Purpose}
	if o.ciRole == "" && (len(entries) > 0 || len(clean.Include) > 0) {
		msg := "the repository variable AWS_CI_ROLE_ARN is not set, so nothing runs against AWS (docs/classes.md, 'Set up the repository')"
		if o.event == "workflow_dispatch" {
			report(errors.New(msg), o.annotate, stdout, stderr)
			return result{}, 1
		}
		res.Notice = msg
		entries = nil
		clean.Include = []cleanJob{}
	}
	res.Clean, res.CleanCount = clean, len(clean.Include)
	chunks, err := classes.Split(entries, o.chunkSize)
	if err != nil {
		report(err, o.annotate, stdout, stderr)
		return result{}, 2
	}
	m, err := classes.Matrix(chunks)
	if err != nil {
		report(err, o.annotate, stdout, stderr)
		return result{}, 2
	}
	res.Count, res.Chunks, res.Matrix, res.entries = len(entries), len(chunks), m, entries
	return res, 0
}

// report prints every problem; as annotations they show on the class file
// in the run's summary.
func report(err error, annotate bool, stdout, stderr io.Writer) {
	var ps classes.Problems
	if !errors.As(err, &ps) {
		var p classes.Problem
		if errors.As(err, &p) {
			ps = classes.Problems{p}
		}
	}
	if annotate {
		if len(ps) == 0 {
			fmt.Fprintf(stdout, "::error::%s\n", err)
			return
		}
		for _, p := range ps {
			fmt.Fprintf(stdout, "::error file=%s::%s\n", p.File, p.Rule)
		}
		return
	}
	fmt.Fprintf(stderr, "classmatrix: %v\n", err)
}

func write(o options, res result, stdout io.Writer) error {
	matrix, err := json.Marshal(res.Matrix)
	if err != nil {
		return fmt.Errorf("render matrix: %w", err)
	}
	if len(matrix) > maxOutputBytes {
		return fmt.Errorf("the matrix is %d bytes, over GitHub's 1 MB job-output limit: split the class", len(matrix))
	}
	if res.Notice != "" && o.annotate {
		fmt.Fprintf(stdout, "::notice::%s\n", res.Notice)
	}
	if o.githubOutput == "" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return fmt.Errorf("print result: %w", err)
		}
	} else {
		cleanJSON, err := json.Marshal(res.Clean)
		if err != nil {
			return fmt.Errorf("render clean matrix: %w", err)
		}
		out := fmt.Sprintf("matrix=%s\ncount=%d\nchunks=%d\n", matrix, res.Count, res.Chunks)
		if isTeardown(res.purpose) {
			out += fmt.Sprintf("clean=%s\nclean-count=%d\n", cleanJSON, res.CleanCount)
		}
		if err := appendFile(o.githubOutput, out); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %d stack(s) in %d chunk(s)\n", res.purpose, res.Count, res.Chunks)
		if isTeardown(res.purpose) {
			fmt.Fprintf(stdout, "%s: %d by-hand class(es) to clean\n", res.purpose, res.CleanCount)
		}
	}
	if o.summary != "" {
		return appendFile(o.summary, summary(res))
	}
	return nil
}

// summary lists the stacks; for a large class, one line per chunk.
func summary(res result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s: %d stack(s) in %d chunk(s)\n\n", res.purpose, res.Count, res.Chunks)
	if res.Notice != "" {
		fmt.Fprintf(&b, "%s\n\n", res.Notice)
	}
	for _, c := range res.Clean.Include {
		fmt.Fprintf(&b, "- class `%s` (mode %s, %d account(s)): labctl class clean --yes\n", c.Class, c.Mode, c.Stacks)
	}
	if res.Count <= 50 {
		for _, e := range res.entries {
			fmt.Fprintf(&b, "- `%s` (class `%s`, account %s, %s)\n", e.Stack, e.Class, e.Account, e.Region)
		}
		return b.String()
	}
	b.WriteString("| chunk | stacks | first | last |\n|---|---|---|---|\n")
	for _, j := range res.Matrix.Include {
		var m classes.StackMatrix
		_ = json.Unmarshal([]byte(j.Stacks), &m) // rendered by Matrix just above
		fmt.Fprintf(&b, "| %s | %d | `%s` | `%s` |\n", j.Chunk, j.Count, m.Include[0].Stack, m.Include[len(m.Include)-1].Stack)
	}
	return b.String()
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}
