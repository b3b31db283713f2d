package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/labctl/preflight"
	"github.com/kms-lab/kms-lab/internal/report"
)

// TestEdgeWarnAccountCheck: preflight's account rule on its own, so that
// turning its warn into a fail (or the reverse) fails a test. The provider
// refuses to deploy to an account outside aws:allowedAccountIds (Pulumi AWS
// provider configuration, allowedAccountIds), so a mismatch is a fail; a
// stack without the setting can deploy anywhere, which is worth a warn but
// is not wrong.
func TestEdgeWarnAccountCheck(t *testing.T) {
	const caller = "arn:aws:iam::111122223333:user/instructor"
	tests := []struct {
		name    string
		allowed []string
		want    report.Status
		detail  string
	}{
		{"no allowedAccountIds: warn", nil, report.Warn, "sets no aws:allowedAccountIds"},
		{"the allowed account: pass", []string{"111122223333"}, report.Pass, "is the stack's aws:allowedAccountIds account"},
		{"another account: fail", []string{"210987654321"}, report.Fail, "but the stack's aws:allowedAccountIds is 210987654321"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := preflight.AccountCheck("kms101-acct01", tt.allowed, "111122223333", caller)
			assert.Equal(t, tt.want, c.Status, c.Detail)
			assert.Contains(t, c.Detail, tt.detail)
		})
	}
}
