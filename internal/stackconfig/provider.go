package stackconfig

import (
	"encoding/json"
	"errors"
	"regexp"

	kmsconfig "github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/iamarn"
	"github.com/kms-lab/kms-lab/internal/stackfile"
)

var accountIDRe = regexp.MustCompile(`^\d{12}$`)

// providerProblems applies the rules of the AWS provider's settings that
// say where the stack deploys and how it gets there, the same rules labctl
// class status applies to a class's stack files (internal/classes), so that
// labplan and labctl preflight refuse a stack before anything asks AWS.
// values are the engine's text form; object says which keys were a list
// or a map in the file.
func providerProblems(values map[string]string, object map[string]bool) []problem {
	var problems []problem
	bad := func(key, value, rule string) {
		problems = append(problems, problem{key: key, value: quoteValue(value), hasValue: true, rule: rule})
	}
	for _, key := range []string{"aws:region", "aws:profile"} {
		if v, ok := values[key]; ok && object[key] {
			bad(key, v, "must be a plain string, not a list or a map")
		}
	}
	if v, ok := values["aws:region"]; ok && !object["aws:region"] && v != secretText {
		if _, known := kmsconfig.RegionPartition(v); !known {
			bad("aws:region", v, kmsconfig.RegionRule)
		}
	}

	account := ""
	if v, ok := values["aws:allowedAccountIds"]; ok && v != secretText {
		var ids []any
		if err := json.Unmarshal([]byte(v), &ids); err != nil || !object["aws:allowedAccountIds"] || !allAccountIDs(ids) {
			bad("aws:allowedAccountIds", v, "must be a list of quoted 12-digit account IDs, such as [\"111122223333\"]")
		} else if len(ids) == 1 {
			account = ids[0].(string)
		}
	}

	role, hasRole := values["aws:assumeRole"]
	if _, hasProfile := values["aws:profile"]; hasProfile && hasRole {
		problems = append(problems, problem{key: "aws:profile", rule: stackfile.ProfileWithRole})
	}
	if hasRole && role != secretText {
		var r struct {
			RoleARN string `json:"roleArn"`
		}
		if err := json.Unmarshal([]byte(role), &r); err != nil || !object["aws:assumeRole"] {
			bad("aws:assumeRole", role, "must be a map with roleArn, and optionally sessionName and externalId")
		} else if rule := roleRule(r.RoleARN, account); rule != "" {
			bad("aws:assumeRole.roleArn", r.RoleARN, rule)
		}
	}
	return problems
}

// roleRule is why arn is not a role the stack may assume in account (""
// when the account is not known), or "".
func roleRule(arn, account string) string {
	p, err := iamarn.Parse(arn)
	var arnErr *iamarn.Error
	switch {
	case errors.As(err, &arnErr):
		return "must be an IAM role ARN; this one " + arnErr.Reason
	case err != nil:
		return "must be an IAM role ARN"
	case p.Kind == iamarn.Root:
		return "must be an IAM role ARN; this one names an account root"
	case p.Kind != iamarn.Role:
		return "must be an IAM role ARN; this one names an IAM " + p.Kind
	case account != "" && p.AccountID != account:
		return "must be a role in the allowed account " + account + " (aws:allowedAccountIds), so that the stack deploys where its file says"
	}
	return ""
}

func allAccountIDs(ids []any) bool {
	if len(ids) == 0 {
		return false
	}
	for _, id := range ids {
		s, ok := id.(string)
		if !ok || !accountIDRe.MatchString(s) {
			return false
		}
	}
	return true
}
