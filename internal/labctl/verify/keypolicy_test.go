package verify

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/report"
)

func TestKeyPolicyChecks(t *testing.T) {
	other := "arn:aws:iam::111122223333:role/ops"
	renamed := useStatement(student)
	renamed["Sid"] = "whatever the console called it"
	boolGrant := grantStatement(student)
	boolGrant["Condition"] = stmt{"Bool": stmt{"kms:GrantIsForAWSResource": true}}
	openGrant := grantStatement(student)
	delete(openGrant, "Condition")
	partialUse := useStatement(student)
	partialUse["Action"] = []string{"kms:Decrypt"}
	signer := stmt{"Effect": "Allow", "Principal": stmt{"AWS": other}, "Action": "kms:Sign", "Resource": "*"}
	accountPrincipal := rootStatement()
	accountPrincipal["Principal"] = stmt{"AWS": "111122223333"}
	deny := stmt{"Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}

	tests := []struct {
		name   string
		doc    string
		admins []string
		users  []string
		want   map[string]Check // only Status and Observed are compared
	}{
		{"console default", policyDoc(rootStatement(), adminStatement(student), useStatement(student), grantStatement(student)),
			[]string{student}, []string{student}, map[string]Check{
				"key.policy.root":             {Status: report.Pass, Observed: root + " allowed kms:*"},
				"key.policy.administrators":   {Status: report.Pass, Observed: student},
				"key.policy.users":            {Status: report.Pass, Observed: student},
				"key.policy.grants":           {Status: report.Pass, Observed: student},
				"key.policy.other-principals": {Status: report.Pass, Observed: "none"},
			}},
		{"statements found by content, not Sid", policyDoc(rootStatement(), adminStatement(student), renamed, boolGrant),
			[]string{student}, []string{student}, map[string]Check{
				"key.policy.users":  {Status: report.Pass, Observed: student},
				"key.policy.grants": {Status: report.Pass, Observed: student},
			}},
		{"empty role lists: only the root statement", policyDoc(rootStatement()), nil, nil, map[string]Check{
			"key.policy.administrators": {Status: report.Pass, Observed: "none"},
			"key.policy.users":          {Status: report.Pass, Observed: "none"},
			"key.policy.grants":         {Status: report.Pass, Observed: "none"},
		}},
		{"root given as an account ID", policyDoc(accountPrincipal), nil, nil, map[string]Check{
			"key.policy.root": {Status: report.Pass, Observed: root + " allowed kms:*"},
		}},
		{"user removed (lab task 6)", policyDoc(rootStatement(), adminStatement(student)), []string{student}, []string{student}, map[string]Check{
			"key.policy.users":  {Status: report.Fail, Observed: "none [missing " + student + "]"},
			"key.policy.grants": {Status: report.Fail, Observed: "none [missing " + student + "]"},
		}},
		{"extra user", policyDoc(rootStatement(), adminStatement(student), useStatement(student, other), grantStatement(student, other)),
			[]string{student}, []string{student}, map[string]Check{
				"key.policy.users": {Status: report.Fail, Observed: other + ", " + student + " [unexpected " + other + "]"},
			}},
		{"user lacks actions", policyDoc(rootStatement(), adminStatement(student), partialUse, grantStatement(student)),
			[]string{student}, []string{student}, map[string]Check{
				"key.policy.users": {Status: report.Fail, Observed: student + " lacks kms:Encrypt, kms:ReEncryptFrom, kms:ReEncryptTo, kms:GenerateDataKey, kms:GenerateDataKeyWithoutPlaintext, kms:DescribeKey"},
			}},
		{"grants without the AWS-resource condition", policyDoc(rootStatement(), adminStatement(student), useStatement(student), openGrant),
			[]string{student}, []string{student}, map[string]Check{
				"key.policy.grants": {Status: report.Fail, Observed: "kms:CreateGrant without the AWS-resource condition for " + student},
			}},
		{"root statement missing", policyDoc(adminStatement(student), useStatement(student), grantStatement(student)),
			[]string{student}, []string{student}, map[string]Check{
				"key.policy.root": {Status: report.Fail, Observed: "no unconditional kms:* statement for " + root + " (the key could become unmanageable)"},
			}},
		{"a principal outside every role", policyDoc(rootStatement(), signer), nil, nil, map[string]Check{
			"key.policy.other-principals": {Status: report.Fail, Observed: other + " (kms:Sign)"},
		}},
		{"deny statements are flagged", policyDoc(rootStatement(), deny), nil, nil, map[string]Check{
			"key.policy.other-principals": {Status: report.Warn, Observed: "none, but 1 Deny statement(s) not evaluated"},
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

func TestKeyPolicyNotJSON(t *testing.T) {
	checks := keyPolicyChecks("{not json", labOutputs())
	assert.Len(t, checks, 1)
	assert.Equal(t, report.Fail, checks[0].Status)
	assert.Contains(t, checks[0].Observed, "policy is not valid IAM policy JSON")
}

func TestWildcardMatch(t *testing.T) {
	tests := []struct {
		pattern, action string
		want            bool
	}{
		{"kms:*", "kms:Decrypt", true},
		{"*", "kms:Decrypt", true},
		{"kms:ReEncrypt*", "kms:ReEncryptFrom", true},
		{"kms:GenerateDataKey*", "kms:GenerateDataKey", true},
		{"KMS:decrypt", "kms:Decrypt", true},
		{"kms:Create*", "kms:CreateGrant", true},
		{"kms:Get*", "kms:GenerateDataKey", false},
		{"kms:?ecrypt", "kms:Decrypt", true},
		{"kms:Decrypt", "kms:*", false},
		{"s3:*Object", "s3:PutObject", true},
		{"s3:*Object", "s3:PutObjectAcl", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, wildcardMatch(tt.pattern, tt.action), "%s vs %s", tt.pattern, tt.action)
	}
}
