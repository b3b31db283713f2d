// Package classes reads the class files (classes/<class>.yaml) and the
// lab-account stack files they list, checks the rules that keep one stack per
// lab account, selects the stacks a workflow acts on, and splits them into
// GitHub Actions job matrices of at most 256 jobs each.
package classes

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/valuetext"
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
	return "", fmt.Errorf("mode %s: use %s (the default) or %s", valuetext.Quote(s), Deployed, ByHand)
}

// classFile is a class file's fields as decodeClass reads them.
type classFile struct {
	Name        string
	Description string
	Enabled     *bool
	StartsAt    string
	EndsAt      string
	Stacks      []string
	Mode        string
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
	noun := "problems"
	if len(ps) == 1 {
		noun = "problem"
	}
	return fmt.Sprintf("%d %s in the class files:\n%s", len(ps), noun, strings.Join(lines, "\n"))
}

// Parse decodes one class file. file is its path relative to the repository
// root; the class name must equal the file's base name.
func Parse(file string, data []byte) (Class, Problems) {
	var problems Problems
	bad := func(format string, args ...any) {
		problems = append(problems, Problem{File: file, Rule: fmt.Sprintf(format, args...)})
	}
	raw, ok := decodeClass(data, bad)
	if !ok {
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
		bad("name %s must equal the file name %q", valuetext.Quote(raw.Name), want)
	case !nameRe.MatchString(raw.Name):
		bad("name %s: lowercase letters, digits and hyphens, at most 40 characters", valuetext.Quote(raw.Name))
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
			bad("stack %s: a stack name is letters, digits, '-', '_' and '.', at most 100 characters", valuetext.Quote(s))
		}
		if seen[s] {
			bad("stack %s is listed twice: list each stack once", valuetext.Quote(s))
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
		bad("%s %s must be a UTC time like \"2026-12-04T17:00:00Z\"", field, valuetext.Quote(value))
		return time.Time{}
	}
	return t
}
