package stackconfig

import (
	"encoding/json"
	"regexp"
	"slices"

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

	var allowed []string
	if v, ok := values["aws:allowedAccountIds"]; ok && v != secretText {
		var ids []any
		if err := json.Unmarshal([]byte(v), &ids); err != nil || !object["aws:allowedAccountIds"] || !allAccountIDs(ids) {
			bad("aws:allowedAccountIds", v, "must be a list of quoted 12-digit account IDs, such as [\"111122223333\"]")
		} else {
			for _, id := range ids {
				allowed = append(allowed, id.(string))
			}
		}
	}

	role, hasRole := values["aws:assumeRole"]
	if _, hasProfile := values["aws:profile"]; hasProfile && hasRole {
		problems = append(problems, problem{key: "aws:profile", rule: stackfile.ProfileWithRole})
	}
	if hasRole && role != secretText {
		// The rules labctl's class commands apply (iamarn.ParseAssumeRole).
		var m map[string]any
		fields, plain := []iamarn.Field{}, true
		if err := json.Unmarshal([]byte(role), &m); err != nil || !object["aws:assumeRole"] {
			plain = false
		}
		for k, v := range m {
			str, ok := v.(string)
			plain = plain && (ok || !slices.Contains([]string{"roleArn", "sessionName", "externalId"}, k))
			fields = append(fields, iamarn.Field{Key: k, Value: str})
		}
		if !plain {
			bad("aws:assumeRole", role, iamarn.AssumeRoleShape)
		} else {
			_, ps := iamarn.ParseAssumeRole(fields, allowed)
			for _, p := range ps {
				bad(p.Key, p.Value, p.Rule)
			}
		}
	}
	return problems
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
