// Package preflight checks a lab account before the first `pulumi up`: that
// the credentials are for the stack's account and who the deployer is, that
// the key policy's principals exist, that the account's S3 Block Public
// Access lets the image be public, that nothing made by hand already holds
// the alias, trail or bucket name, that the region has room for the trail,
// and that the deployer may do what the program does. Each finding says what
// was seen and how to fix it.
package preflight

import (
	"encoding/json"
	"fmt"
	"io"
)

// Status is a check's verdict.
type Status string

// The verdicts, spelled as the text and JSON output show them. Only
// StatusFail makes preflight exit 1.
const (
	StatusOK   Status = "ok"
	StatusFail Status = "FAIL"
	StatusWarn Status = "warn"
)

// Check is one line of the report: what was seen and, unless ok, the fix.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
}

// Report is every check, in the order they ran.
type Report struct {
	Checks []Check `json:"checks"`
}

// Failed reports whether any check failed.
func (r *Report) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == StatusFail {
			return true
		}
	}
	return false
}

func (r *Report) add(c ...Check) { r.Checks = append(r.Checks, c...) }

// WriteText prints one line per check and a summary line.
func WriteText(w io.Writer, r *Report) error {
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.Name))
	}
	counts := map[Status]int{}
	for _, c := range r.Checks {
		counts[c.Status]++
		if _, err := fmt.Fprintf(w, "%-4s  %-*s  %s\n", c.Status, width, c.Name, c.Detail); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%d checks: %d ok, %d FAIL, %d warn\n",
		len(r.Checks), counts[StatusOK], counts[StatusFail], counts[StatusWarn])
	return err
}

// WriteJSON prints exactly {"checks": [{"name", "status", "detail"}]}.
func WriteJSON(w io.Writer, r *Report) error {
	out := *r
	if out.Checks == nil {
		out.Checks = []Check{} // [] rather than null for scripts
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
