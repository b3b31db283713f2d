package config

import (
	"fmt"
	"sort"
	"strings"

	"github.com/kms-lab/kms-lab/internal/valuetext"
)

// Problem is one invalid setting: the key, the value given and the rule it breaks.
type Problem struct {
	Key   string
	Value string
	Rule  string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%s = %s: %s", Namespace, p.Key, valuetext.Quote(p.Value), p.Rule)
}

// Errors lists every problem found in one pass over the configuration.
type Errors struct {
	Problems []Problem
}

func (e *Errors) Error() string {
	var b strings.Builder
	if len(e.Problems) == 1 {
		b.WriteString("invalid kms-lab configuration (1 problem):")
	} else {
		fmt.Fprintf(&b, "invalid kms-lab configuration (%d problems):", len(e.Problems))
	}
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// newErrors returns nil for no problems, so callers can return it directly.
func newErrors(problems []Problem) error {
	if len(problems) == 0 {
		return nil
	}
	sorted := append([]Problem(nil), problems...)
	order := map[string]int{}
	for i, s := range Settings() {
		order[s.Key] = i
	}
	// Report in schema order, so the list reads like Pulumi.yaml.
	sort.SliceStable(sorted, func(i, j int) bool { return order[sorted[i].Key] < order[sorted[j].Key] })
	return &Errors{Problems: sorted}
}
