// Package option carries what a domain package found wrong with the options
// it was given, by option name. Domain packages name no flags: the command
// that read the options from its flags words each problem as that flag
// (--alias "x": rule), where a library caller would name its own field.
package option

import (
	"fmt"
	"strings"
)

// Problem is one option whose value breaks a rule.
type Problem struct {
	// Name is the option, spelled as the flag that sets it without the
	// dashes: "key-deletion-days".
	Name string
	// Value is the value as a message shows it: quoted (valuetext.Quote)
	// for text, plain for a number.
	Value string
	// Rule says what the option takes.
	Rule string
}

// Problems are every bad option of one call, in the order they were
// checked, so that one run reports them all.
type Problems []Problem

// Add records a problem.
func (p *Problems) Add(name, value, rule string) {
	*p = append(*p, Problem{Name: name, Value: value, Rule: rule})
}

// Err is p as an error, nil when there is no problem.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return p
}

// Error words each problem by its option's name: `alias "aws/x": rule`.
func (p Problems) Error() string {
	return p.Join(func(pr Problem) string { return pr.Name })
}

// Join words each problem with the name label gives its option, "; "
// between them: the command passes its flag's spelling.
func (p Problems) Join(label func(Problem) string) string {
	parts := make([]string, len(p))
	for i, pr := range p {
		parts[i] = fmt.Sprintf("%s %s: %s", label(pr), pr.Value, pr.Rule)
	}
	return strings.Join(parts, "; ")
}
