package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

// Guide is the lab guide's expectation, for a lab a student did by hand in
// the console (labctl check). With a Guide the checks keep their names and
// their reading of AWS's answers, but judge by the guide's rules where they
// differ from the stack's exact outputs: the student must be among the key
// administrators and users (others may be too), any ACL-enabling object
// ownership passes, only the two ACL switches of Block Public Access
// matter, and settings the guide leaves at the console's defaults (key
// rotation, bucket default encryption, multi-region, log file validation)
// are not graded. The Verifier's Outputs then hold the names check found.
type Guide struct {
	// Student is the IAM user or role ARN that must be a key
	// administrator and a key user.
	Student string
	// Description is the key description the guide asks for.
	Description string
	// BucketPrefix starts the trail bucket's name.
	BucketPrefix string
}

// guideKeyPolicyChecks grades the key policy as the lab guide's tasks 1 and
// 6 do: the account root keeps kms:*, and the student holds every action
// of the console's administrator, user and persistent-resource statements.
func guideKeyPolicyChecks(doc string, o *stackout.Outputs, student string) []Check {
	statements, err := parsePolicy(doc)
	if err != nil {
		return []Check{failed("key.policy", "the console's default key policy", err.Error())}
	}
	v := analyzeKeyPolicy(statements, o)
	root := o.RootARN()
	rootCheck := Check{Name: "key.policy.root", Expected: root + " allowed kms:*", Status: report.Pass, Observed: root + " allowed kms:*"}
	if !v.rootAll {
		rootCheck.Status, rootCheck.Observed = report.Fail, "no unconditional kms:* statement for "+root+" (the key could become unmanageable)"
	}
	grants := memberCheck("key.policy.grants", student, v.grants, grantActions)
	if slices.Contains(v.openGrants, student) && grants.Status == report.Fail {
		grants.Observed += "; kms:CreateGrant without the AWS-resource condition"
	}
	return []Check{
		rootCheck,
		memberCheck("key.policy.administrators", student, v.admins, adminActions),
		memberCheck("key.policy.users", student, v.users, useActions),
		grants,
	}
}

// memberCheck passes when principal holds every one of actions; other
// principals may hold the role too.
func memberCheck(name, principal string, got map[string][]string, actions []string) Check {
	expected := principal + " among them"
	var holders []string
	for p := range got {
		holders = append(holders, p)
	}
	holders = sortedUnique(holders)
	have, ok := got[principal]
	if !ok {
		return failed(name, expected, listOrNone(holders)+" (not "+principal+")")
	}
	if missing := missingActions(actions, have); len(missing) > 0 {
		return failed(name, expected+" with "+strings.Join(actions, ", "), fmt.Sprintf("%s lacks %s", principal, strings.Join(missing, ", ")))
	}
	return Check{Name: name, Status: report.Pass, Expected: expected, Observed: listOrNone(holders)}
}

// descriptionCheck compares the key's description with the guide's.
func descriptionCheck(md account.KeyMetadata, want string) Check {
	got := md.Description
	if got == "" {
		got = "no description"
	}
	return compare("key.description", want, got)
}

// guideOwnershipCheck passes for either setting that enables ACLs (the
// console's "ACLs enabled" offers BucketOwnerPreferred and ObjectWriter);
// BucketOwnerEnforced disables them and the object ACL of task 4 is refused.
func guideOwnershipCheck(got string) Check {
	st := report.Pass
	if got == "BucketOwnerEnforced" || got == "no ownership controls" {
		st = report.Fail
	}
	return Check{Name: "bucket.ownership", Status: st, Expected: "ACLs enabled (BucketOwnerPreferred or ObjectWriter)", Observed: got}
}

// guidePABCheck passes when the two switches that block a public object
// ACL are off; the guide turns all four off, and the other two do not
// affect an ACL.
func guidePABCheck(p stackout.PublicAccessBlock) Check {
	c := Check{Name: "bucket.public-access-block", Status: report.Pass,
		Expected: "BlockPublicAcls=false IgnorePublicAcls=false", Observed: describePAB(p)}
	if p.BlockPublicACLs || p.IgnorePublicACLs {
		c.Status = report.Fail
	}
	return c
}

// bucketPrefixCheck checks the trail bucket's name against the guide's
// mycloudtrailbucketNUMBER.
func bucketPrefixCheck(bucket, prefix string) Check {
	c := Check{Name: "trail.bucket-name", Status: report.Pass, Expected: prefix + "*", Observed: bucket}
	if !strings.HasPrefix(bucket, prefix) {
		c.Status = report.Fail
	}
	return c
}

// KeyRoles reads a key policy document, such as one a PutKeyPolicy record
// carries, and reports whether principal is a key administrator and a key
// user in the console's sense (every action of the default statements).
// labctl check uses it to follow lab task 6 through the policy's history.
func KeyRoles(doc string, o *stackout.Outputs, principal string) (admin, user bool, err error) {
	statements, err := parsePolicy(doc)
	if err != nil {
		return false, false, err
	}
	v := analyzeKeyPolicy(statements, o)
	admin = len(v.admins[principal]) > 0 && len(missingActions(adminActions, v.admins[principal])) == 0
	user = len(v.users[principal]) > 0 && len(missingActions(useActions, v.users[principal])) == 0
	return admin, user, nil
}
