package verify

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/report"
)

// A lab deployed by the account root (or configured with
// arn:aws:iam::ACCOUNT:root) names the root as key administrator and key
// user. The account root ARN is a valid key-policy principal ("Key policies
// in AWS KMS", AWS KMS Developer Guide: "Specifying principals ... AWS
// account principals ... arn:aws:iam::111122223333:root"), and the console's
// default key policy puts the administrators and users in their own
// statements next to the account's kms:* statement ("Default key policy",
// same guide). verify must find the root in those statements instead of
// reporting it missing.
func TestKeyPolicyRootAsAdministratorOrUser(t *testing.T) {
	tests := []struct {
		name   string
		doc    string
		admins []string
		users  []string
		want   map[string]Check
	}{
		{"root is administrator and user",
			policyDoc(rootStatement(), adminStatement(root), useStatement(root), grantStatement(root)),
			[]string{root}, []string{root}, map[string]Check{
				"key.policy.root":             {Status: report.Pass, Observed: root + " allowed kms:*"},
				"key.policy.administrators":   {Status: report.Pass, Observed: root},
				"key.policy.users":            {Status: report.Pass, Observed: root},
				"key.policy.grants":           {Status: report.Pass, Observed: root},
				"key.policy.other-principals": {Status: report.Pass, Observed: "none"},
			}},
		{"root is a user next to a student administrator",
			policyDoc(rootStatement(), adminStatement(student), useStatement(root, student), grantStatement(root, student)),
			[]string{student}, []string{root, student}, map[string]Check{
				"key.policy.administrators": {Status: report.Pass, Observed: student},
				"key.policy.users":          {Status: report.Pass, Observed: root + ", " + student},
				"key.policy.grants":         {Status: report.Pass, Observed: root + ", " + student},
			}},
		{"root as an account ID in the user statements",
			policyDoc(rootStatement(), adminStatement(root), useStatement("111122223333"), grantStatement("111122223333")),
			[]string{root}, []string{root}, map[string]Check{
				"key.policy.users":  {Status: report.Pass, Observed: root},
				"key.policy.grants": {Status: report.Pass, Observed: root},
			}},
		{"root removed from the users (lab task 6)",
			policyDoc(rootStatement(), adminStatement(root)),
			[]string{root}, []string{root}, map[string]Check{
				"key.policy.administrators": {Status: report.Pass, Observed: root},
				"key.policy.users":          {Status: report.Fail, Observed: "none [missing " + root + "]"},
			}},
		{"root in the user statement when the stack lists only the student",
			policyDoc(rootStatement(), adminStatement(student), useStatement(root, student), grantStatement(student)),
			[]string{student}, []string{student}, map[string]Check{
				"key.policy.users": {Status: report.Fail, Observed: root + ", " + student + " [unexpected " + root + "]"},
			}},
		{"root's kms:* statement alone does not make it a listed administrator",
			policyDoc(rootStatement(), useStatement(student), grantStatement(student)),
			[]string{root}, []string{student}, map[string]Check{
				"key.policy.root":           {Status: report.Pass, Observed: root + " allowed kms:*"},
				"key.policy.administrators": {Status: report.Fail, Observed: "none [missing " + root + "]"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := labOutputs()
			o.KeyAdministrators, o.KeyUsers = tt.admins, tt.users
			got := byName(keyPolicyChecks(tt.doc, o))
			for name, want := range tt.want {
				assert.Equal(t, want.Status, got[name].Status, "%s: %+v", name, got[name])
				assert.Equal(t, want.Observed, got[name].Observed, name)
			}
		})
	}
}
