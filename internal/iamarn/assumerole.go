package iamarn

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// AssumeRole is the AWS provider's aws:assumeRole, as a stack file sets it:
// the role `pulumi up` deploys as, and labctl reaches the account with.
type AssumeRole struct {
	RoleARN     string
	SessionName string
	ExternalID  string
}

// AssumeRoleShape is the rule for aws:assumeRole as a whole, for a value
// that is not a map of plain strings.
const AssumeRoleShape = "must be a map with roleArn and optionally sessionName and externalId"

// Field is one setting of aws:assumeRole as the stack file writes it. A
// value that is not a plain string (a secret, a list) is the caller's to
// report, under AssumeRoleShape or per field: each caller reads the file
// its own way.
type Field struct{ Key, Value string }

// RoleProblem is one broken rule: the setting (aws:assumeRole.roleArn), its
// value as written, and the rule.
type RoleProblem struct{ Key, Value, Rule string }

func (p RoleProblem) String() string { return fmt.Sprintf("%s = %q: %s", p.Key, p.Value, p.Rule) }

// ParseAssumeRole reads aws:assumeRole's fields and checks the one set of
// rules that labctl (preflight, class commands) and the class files apply:
// roleArn is an IAM role ARN (a missing one is an empty one), in one of the
// allowed accounts when any are known, since a role elsewhere would deploy
// to, or grade, another account than the stack file says. sessionName and
// externalId are taken as they are; the provider's other keys
// (durationSeconds, policy, ...) are left to the provider.
func ParseAssumeRole(fields []Field, allowed []string) (*AssumeRole, []RoleProblem) {
	role := &AssumeRole{}
	for _, f := range fields {
		switch f.Key {
		case "roleArn":
			role.RoleARN = f.Value
		case "sessionName":
			role.SessionName = f.Value
		case "externalId":
			role.ExternalID = f.Value
		}
	}
	if rule := roleRule(role.RoleARN, allowed); rule != "" {
		return role, []RoleProblem{{Key: "aws:assumeRole.roleArn", Value: role.RoleARN, Rule: rule}}
	}
	return role, nil
}

// roleRule says what is wrong with roleArn, "" when nothing is.
func roleRule(s string, allowed []string) string {
	p, err := Parse(s)
	var arnErr *Error
	switch {
	case errors.As(err, &arnErr):
		return "must be an IAM role ARN; this one " + arnErr.Reason
	case err != nil:
		return "must be an IAM role ARN: " + err.Error()
	case p.Kind == Root:
		return "must be an IAM role ARN; this one names an account root"
	case p.Kind != Role:
		return "must be an IAM role ARN; this one names an IAM " + p.Kind
	case len(allowed) > 0 && !slices.Contains(allowed, p.AccountID):
		return "must be a role in the allowed account " + strings.Join(allowed, " or ")
	}
	return ""
}
