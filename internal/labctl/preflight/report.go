// Package preflight checks a lab account before `pulumi up` (every one, the
// first and a stack's later deploys): that the credentials are for the
// stack's account and who the deployer is, that the key policy's principals
// exist, that the account's S3 Block Public Access lets the image be
// public, that nothing but this stack's own resources (by their
// kms-lab:stack tag) holds the alias, trail or bucket name, that the region has room for the trail,
// and that the deployer may do what the program does. Each finding says what
// was seen and how to fix it.
package preflight

import (
	"io"

	"github.com/kms-lab/kms-lab/internal/report"
)

// Check is one line of the report: Name, Status and Detail, what was seen
// and, unless it passes, the fix. Only report.Fail makes preflight exit 1.
type Check = report.Check

// Report is every check, in the order they ran: {"checks": [...]}.
type Report = report.Checks

// WriteText prints one line per check and a summary line.
func WriteText(w io.Writer, r *Report) error { return report.WriteChecks(w, r.Checks) }

// WriteJSON prints exactly {"checks": [{"name", "status", "detail"}]}.
func WriteJSON(w io.Writer, r *Report) error {
	out := *r
	if out.Checks == nil {
		out.Checks = []Check{} // [] rather than null for scripts
	}
	return report.WriteJSON(w, out)
}
