package preflight_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Issue 23, "Every check stays in its list": whatever goes wrong, the
// report lists all ten checks in the same order, as `check` does; a check
// whose read failed is unknown with why and when to retry (docs/report.md:
// "the read was denied, throttled, failed (5xx) or timed out"), and a
// check not run because of another's verdict names that check. Exit codes
// as docs/labctl.md gives them: 1 when a check fails, else 2 when one is
// unknown.
func TestPreflightEveryCheckListed(t *testing.T) {
	t.Run("one read throttled past its retries", func(t *testing.T) {
		la := newLabAccount(t)
		// Two attempts, so the test does not wait out ten.
		t.Setenv("AWS_MAX_ATTEMPTS", "2")
		la.front.throttled["TrentService.DescribeKey"] = true
		res := la.run("")
		assert.Equal(t, allChecks, res.names)
		assertCheck(t, res, "alias-name", "unknown",
			"not checked: AWS throttled this read of key alias alias/myFirstKey (kms:DescribeKey: ThrottlingException: Rate exceeded, after 2 attempts); retry in a minute")
		for _, name := range allChecks {
			if name != "alias-name" {
				assertCheck(t, res, name, "pass")
			}
		}
		assert.Equal(t, 2, res.code, "nothing failed and one check is unknown")
		assert.Equal(t, "labctl: 1 check could not be read; the report says why and when to retry\n", res.stderr)
	})
	t.Run("moto's own identity, not an IAM principal", func(t *testing.T) {
		la := newLabAccount(t)
		// moto's default credentials are a caller that is neither an IAM
		// user nor a role (arn:aws:sts::123456789012:user/moto), which
		// the stack's `deployer` cannot name in a key policy.
		la.useKeys("testing", "testing", "")
		res := la.run("")
		assert.Equal(t, allChecks, res.names)
		assertCheck(t, res, "deployer", "fail", "arn:aws:sts::"+account+":user/moto (the caller itself)", "must be an IAM user, role or account root ARN")
		for _, name := range []string{"key-principals", "deployer-permissions"} {
			assertCheck(t, res, name, "unknown", "not checked: the key policy cannot be built for this deployer (see deployer)")
		}
		// The name, quota and public access checks do not depend on who
		// deploys, and are judged.
		for _, name := range []string{"account-public-access", "alias-name", "bucket-name", "trail-name", "trail-quota", "management-events"} {
			assertCheck(t, res, name, "pass")
		}
		assert.Equal(t, 1, res.code)
	})
}
