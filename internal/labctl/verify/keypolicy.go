package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/micahhausler/aws-iam-policy/policy"

	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

// The console's default key policy, which the stack reproduces, grants key
// administrators these actions. Each statement is recognised by what it
// allows and to whom, never by its Sid, since Sids are free text.
var (
	// adminMarkers are actions only an administrator statement grants.
	adminMarkers = []string{"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"}
	// adminActions are concrete actions covered by the default administrator
	// statement (kms:Create*, kms:Describe*, ... kms:CancelKeyDeletion).
	adminActions = []string{
		"kms:CreateAlias", "kms:DescribeKey", "kms:EnableKey", "kms:ListAliases", "kms:PutKeyPolicy",
		"kms:UpdateAlias", "kms:RevokeGrant", "kms:DisableKey", "kms:GetKeyPolicy", "kms:DeleteAlias",
		"kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
	}
	// useActions are the cryptographic operations of the "use" statement.
	useActions = []string{
		"kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
		"kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey",
	}
	// grantActions are what the "persistent resources" statement grants,
	// only for grants to AWS services.
	grantActions = []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"}
)

const grantForAWSResource = "kms:GrantIsForAWSResource"

// keyPolicyView is the key policy reduced to who may do what.
type keyPolicyView struct {
	rootAll    bool                // the account root has kms:*
	admins     map[string][]string // principal -> admin actions granted
	users      map[string][]string // principal -> use actions granted
	grants     map[string][]string // principal -> grant actions granted only for AWS resources
	openGrants []string            // principals with CreateGrant without the AWS-resource condition, outside admin statements
	others     map[string][]string // principals granted something that fits no role
	denies     int
}

func analyzeKeyPolicy(statements []policy.Statement, o *stackout.Outputs) keyPolicyView {
	v := keyPolicyView{
		admins: map[string][]string{}, users: map[string][]string{},
		grants: map[string][]string{}, others: map[string][]string{},
	}
	root := o.RootARN()
	for _, st := range statements {
		if st.Effect == policy.EffectDeny {
			v.denies++
			continue
		}
		principals := awsPrincipals(st, o.Partition)
		if st.NotPrincipal != nil {
			// Allow with NotPrincipal grants nearly everyone.
			principals = append(principals, "*")
		}
		isAdmin := slices.ContainsFunc(adminMarkers, func(a string) bool { return allows(st, a) })
		isUse := allows(st, "kms:Decrypt") || allows(st, "kms:Encrypt") || allows(st, "kms:GenerateDataKey")
		isGrant := allows(st, "kms:CreateGrant") && !isAdmin
		conditional := conditionValues(st, "Bool", grantForAWSResource)
		for _, p := range principals {
			if p == root && allows(st, "kms:*") && allows(st, "kms:PutKeyPolicy") && conditionCount(st) == 0 {
				v.rootAll = true
				continue
			}
			// Anywhere else the root is an ordinary principal: a lab deployed
			// by the account root names it as key administrator and user.
			matched := false
			if isAdmin {
				v.admins[p] = append(v.admins[p], granted(st, adminActions)...)
				matched = true
			}
			if isUse {
				v.users[p] = append(v.users[p], granted(st, useActions)...)
				matched = true
			}
			if isGrant {
				if slices.Equal(conditional, []string{"true"}) {
					v.grants[p] = append(v.grants[p], granted(st, grantActions)...)
				} else {
					v.openGrants = append(v.openGrants, p)
				}
				matched = true
			}
			if !matched {
				v.others[p] = append(v.others[p], values(st.Action)...)
			}
		}
	}
	return v
}

func granted(st policy.Statement, actions []string) []string {
	var out []string
	for _, a := range actions {
		if allows(st, a) {
			out = append(out, a)
		}
	}
	return out
}

// keyPolicyChecks compares the parsed policy with the expected
// administrators and users.
func keyPolicyChecks(doc string, o *stackout.Outputs) []Check {
	statements, err := parsePolicy(doc)
	if err != nil {
		return []Check{failed("key.policy", "the console's default key policy", err.Error())}
	}
	v := analyzeKeyPolicy(statements, o)
	root := o.RootARN()
	var checks []Check

	rootCheck := Check{Name: "key.policy.root", Expected: root + " allowed kms:*"}
	if v.rootAll {
		rootCheck.Status, rootCheck.Observed = report.Pass, root+" allowed kms:*"
	} else {
		rootCheck.Status, rootCheck.Observed = report.Fail, "no unconditional kms:* statement for "+root+" (the key could become unmanageable)"
	}
	checks = append(checks, rootCheck)

	checks = append(checks,
		roleCheck("key.policy.administrators", o.KeyAdministrators, v.admins, adminActions),
		roleCheck("key.policy.users", o.KeyUsers, v.users, useActions),
		grantCheck(o.KeyUsers, v))

	var extra []string
	for p, actions := range v.others {
		extra = append(extra, fmt.Sprintf("%s (%s)", p, strings.Join(sortedUnique(actions), ", ")))
	}
	extraCheck := compare("key.policy.other-principals", "none", listOrNone(sortedUnique(extra)))
	if v.denies > 0 && extraCheck.Status == report.Pass {
		extraCheck.Status = report.Warn
		extraCheck.Observed = fmt.Sprintf("none, but %d Deny statement(s) not evaluated", v.denies)
	}
	return append(checks, extraCheck)
}

// roleCheck passes when exactly the expected principals hold the role, each
// with all of the role's actions.
func roleCheck(name string, expected []string, got map[string][]string, actions []string) Check {
	want := sortedUnique(expected)
	var have []string
	for p := range got {
		have = append(have, p)
	}
	have = sortedUnique(have)
	c := compare(name, listOrNone(want), listOrNone(have))
	if c.Status != report.Pass {
		c.Observed += describeDiff(want, have)
		return c
	}
	for _, p := range have {
		if missing := missingActions(actions, got[p]); len(missing) > 0 {
			c.Status = report.Fail
			c.Observed = fmt.Sprintf("%s lacks %s", p, strings.Join(missing, ", "))
			c.Expected = listOrNone(want) + " with " + strings.Join(actions, ", ")
			return c
		}
	}
	return c
}

func grantCheck(users []string, v keyPolicyView) Check {
	c := roleCheck("key.policy.grants", users, v.grants, grantActions)
	c.Expected += fmt.Sprintf(" (only with Bool %s=true)", grantForAWSResource)
	if open := sortedUnique(v.openGrants); len(open) > 0 {
		c.Status = report.Fail
		c.Observed = "kms:CreateGrant without the AWS-resource condition for " + strings.Join(open, ", ")
	}
	return c
}

func missingActions(want, have []string) []string {
	var missing []string
	for _, a := range want {
		if !slices.Contains(have, a) {
			missing = append(missing, a)
		}
	}
	return missing
}

// describeDiff spells out which principals are extra or missing, which is
// what an instructor fixes.
func describeDiff(want, have []string) string {
	var extra, missing []string
	for _, h := range have {
		if !slices.Contains(want, h) {
			extra = append(extra, h)
		}
	}
	for _, w := range want {
		if !slices.Contains(have, w) {
			missing = append(missing, w)
		}
	}
	var parts []string
	if len(extra) > 0 {
		parts = append(parts, "unexpected "+strings.Join(extra, ", "))
	}
	if len(missing) > 0 {
		parts = append(parts, "missing "+strings.Join(missing, ", "))
	}
	return " [" + strings.Join(parts, "; ") + "]"
}
