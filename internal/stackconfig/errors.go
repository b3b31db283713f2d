package stackconfig

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kms-lab/kms-lab/internal/valuetext"
)

// quoteValue is a value the rule is about, quoted and cut when long.
func quoteValue(v string) string { return valuetext.Quote(v) }

// problem is one thing wrong with one key of a stack file.
type problem struct {
	key      string // fully qualified, like kms-lab:keyAlias
	value    string // the engine's text form, when the rule is about it
	hasValue bool
	rule     string
	// line is the whole line when another package wrote it.
	line string
}

func (p problem) String() string {
	switch {
	case p.line != "":
		return p.line
	case p.hasValue:
		return fmt.Sprintf("%s = %s: %s", p.key, valuetext.Plain(p.value), p.rule)
	}
	return fmt.Sprintf("%s: %s", p.key, p.rule)
}

// Error lists every problem of one stack file, one line each, sorted so
// that the same file always gives the same message.
type Error struct {
	Stack    string
	File     string // the stack file's base name
	Problems []string
}

func newError(stack, stackFile string, problems []problem) *Error {
	lines := make([]string, 0, len(problems))
	for _, p := range problems {
		lines = append(lines, p.String())
	}
	sort.Strings(lines)
	return &Error{Stack: stack, File: filepath.Base(stackFile), Problems: lines}
}

func (e *Error) Error() string {
	return fmt.Sprintf("stack %s: invalid configuration in %s (%s):\n  - %s",
		e.Stack, e.File, count(len(e.Problems), "problem"), strings.Join(e.Problems, "\n  - "))
}

// count writes n with its noun, singular for one.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
