// Package classes reads the class files (classes/<class>.yaml) and the
// lab-account stack files they list, checks the rules that keep one stack per
// lab account, selects the stacks a workflow acts on, and splits them into
// GitHub Actions job matrices of at most 256 jobs each.
package classes

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

var (
	nameRe  = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	stackRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)
	// Only "Z" times: a class's dates are compared with the runner's UTC
	// clock and shown to people in several time zones.
	utcRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$`)
)

// Class is one classes/<name>.yaml.
type Class struct {
	// File is the class file's path relative to the repository root,
	// e.g. "classes/kms101.yaml"; problems name it.
	File        string
	Name        string
	Description string
	// Enabled is false only when the file says enabled: false.
	Enabled bool
	// StartsAt and EndsAt are zero when the file leaves them out.
	StartsAt time.Time
	EndsAt   time.Time
	Stacks   []string
	// Mode is how the class does the lab: Deployed (the default) or ByHand.
	Mode Mode
}

// Mode is how a class does the lab, the class file's mode.
type Mode string

// The modes.
const (
	// Deployed: the workflows deploy each stack with `pulumi up`, and labctl
	// verifies it against its outputs.
	Deployed Mode = "deployed"
	// ByHand: the students do the lab's six tasks in the console; nothing is
	// deployed, and labctl grades the tasks.
	ByHand Mode = "by-hand"
)

// parseMode checks a mode's spelling; "" is the default, Deployed.
func parseMode(s string) (Mode, error) {
	switch Mode(s) {
	case "", Deployed:
		return Deployed, nil
	case ByHand:
		return ByHand, nil
	}
	return "", fmt.Errorf("mode %q: use %s (the default) or %s", s, Deployed, ByHand)
}

// classFile is the YAML shape; unknown fields are an error, so a typo such
// as "stack:" does not silently leave a class without stacks.
type classFile struct {
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Enabled     *bool    `yaml:"enabled"`
	StartsAt    string   `yaml:"startsAt"`
	EndsAt      string   `yaml:"endsAt"`
	Stacks      []string `yaml:"stacks"`
	Mode        string   `yaml:"mode"`
}

// Problem is one broken rule, with the file that breaks it.
type Problem struct {
	File string
	Rule string
}

func (p Problem) Error() string { return p.File + ": " + p.Rule }

// Problems is every problem found, reported together.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return fmt.Sprintf("%d problem(s) in the class files:\n%s", len(ps), strings.Join(lines, "\n"))
}

// Parse decodes one class file. file is its path relative to the repository
// root; the class name must equal the file's base name.
func Parse(file string, data []byte) (Class, Problems) {
	var raw classFile
	var problems Problems
	bad := func(format string, args ...any) {
		problems = append(problems, Problem{File: file, Rule: fmt.Sprintf(format, args...)})
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		bad("not a valid class file: %v", err)
		return Class{File: file}, problems
	}
	c := Class{
		File: file, Name: raw.Name, Description: raw.Description,
		Enabled: raw.Enabled == nil || *raw.Enabled, Stacks: raw.Stacks,
	}
	want := strings.TrimSuffix(path.Base(file), ".yaml")
	switch {
	case raw.Name == "":
		bad("name is missing: it must equal the file name %q", want)
	case raw.Name != want:
		bad("name %q must equal the file name %q", raw.Name, want)
	case !nameRe.MatchString(raw.Name):
		bad("name %q: lowercase letters, digits and hyphens, at most 40 characters", raw.Name)
	}
	mode, err := parseMode(raw.Mode)
	if err != nil {
		bad("%v", err)
	}
	c.Mode = mode
	c.StartsAt = parseUTC(raw.StartsAt, "startsAt", bad)
	c.EndsAt = parseUTC(raw.EndsAt, "endsAt", bad)
	if !c.StartsAt.IsZero() && !c.EndsAt.IsZero() && !c.StartsAt.Before(c.EndsAt) {
		bad("startsAt %s must be before endsAt %s", raw.StartsAt, raw.EndsAt)
	}
	if len(raw.Stacks) == 0 {
		bad("stacks: the list of the class's stacks is empty; list one stack per lab account")
	}
	seen := map[string]bool{}
	for _, s := range raw.Stacks {
		if !stackRe.MatchString(s) {
			bad("stack %q: a stack name is letters, digits, '-', '_' and '.', at most 100 characters", s)
		}
		if seen[s] {
			bad("stack %q is listed twice: list each stack once", s)
		}
		seen[s] = true
	}
	return c, problems
}

func parseUTC(value, field string, bad func(string, ...any)) time.Time {
	if value == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, value)
	if err != nil || !utcRe.MatchString(value) {
		bad("%s %q must be a UTC time like \"2026-12-04T17:00:00Z\"", field, value)
		return time.Time{}
	}
	return t
}
