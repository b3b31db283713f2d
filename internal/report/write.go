package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteJSON prints v as indented JSON without HTML escaping (policies and
// ARNs stay readable), ending with a newline: the one JSON form of every
// report.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writing the JSON report: %w", err)
	}
	return nil
}

// WriteChecks prints one line per check, in the order given, then a
// summary line:
//
//	pass     key.exists    arn:aws:kms:...
//	fail     key.rotation  disabled (expected: enabled)
//	2 checks: 1 pass, 1 fail
//
// A line shows Observed (else Detail), then the expectation when it
// differs and the check does not pass, then the hint.
func WriteChecks(w io.Writer, checks []Check) error {
	width := 0
	for _, c := range checks {
		width = max(width, len(c.Name))
	}
	var b strings.Builder
	for _, c := range checks {
		fmt.Fprintf(&b, "%-7s  %-*s  %s\n", c.Status, width, c.Name, c.Text())
	}
	b.WriteString(Summary(len(checks), "check", Count(checks)))
	b.WriteByte('\n')
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}

// Summary is "N things: a pass, b fail, ..." naming pass and fail always
// and the other verdicts when they occur, so that every command's summary
// line reads the same.
func Summary(n int, noun string, counts map[Status]int) string {
	parts := []string{}
	for _, s := range statuses() {
		if s == Pass || s == Fail || counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return fmt.Sprintf("%s: %s", Plural(n, noun), strings.Join(parts, ", "))
}

// Plural is "1 check", "2 checks".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
