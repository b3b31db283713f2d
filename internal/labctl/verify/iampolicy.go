package verify

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/micahhausler/aws-iam-policy/policy"
)

// parsePolicy decodes a key or bucket policy document.
func parsePolicy(doc string) ([]policy.Statement, error) {
	var p policy.Policy
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return nil, fmt.Errorf("policy is not valid IAM policy JSON: %w", err)
	}
	if p.Statements == nil {
		return nil, nil
	}
	return p.Statements.Values(), nil
}

// awsPrincipals lists a statement's principals in one canonical spelling:
// a bare account ID becomes that account's root ARN, "*" stays "*", and
// service principals are prefixed with "service:".
func awsPrincipals(st policy.Statement, partition string) []string {
	p := st.Principal
	if p == nil {
		return nil
	}
	var out []string
	for _, k := range p.Kinds() {
		switch k {
		case policy.PrincipalKindAll:
			out = append(out, "*")
		case policy.PrincipalKindAWS:
			for _, v := range p.AWS().Values() {
				out = append(out, canonicalPrincipal(v, partition))
			}
		case policy.PrincipalKindService:
			for _, v := range p.Service().Values() {
				out = append(out, "service:"+v)
			}
		case policy.PrincipalKindCanonical:
			for _, v := range p.CanonicalUser().Values() {
				out = append(out, "canonical:"+v)
			}
		case policy.PrincipalKindFederated:
			for _, v := range p.Federated().Values() {
				out = append(out, "federated:"+v)
			}
		}
	}
	return out
}

var accountID = regexp.MustCompile(`^\d{12}$`)

func canonicalPrincipal(v, partition string) string {
	if accountID.MatchString(v) {
		return fmt.Sprintf("arn:%s:iam::%s:root", partition, v)
	}
	return v
}

// allows reports whether a statement's Action list covers action, honouring
// IAM's case-insensitive "*" and "?" wildcards and NotAction.
func allows(st policy.Statement, action string) bool {
	if st.NotAction != nil {
		for _, pat := range st.NotAction.Values() {
			if wildcardMatch(pat, action) {
				return false
			}
		}
		return true
	}
	if st.Action == nil {
		return false
	}
	for _, pat := range st.Action.Values() {
		if wildcardMatch(pat, action) {
			return true
		}
	}
	return false
}

func wildcardMatch(pattern, s string) bool {
	p, v := strings.ToLower(pattern), strings.ToLower(s)
	// Classic two-pointer glob match with backtracking on the last '*'.
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(v) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == v[si]):
			pi++
			si++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi, mark = star+1, mark+1
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// conditionValues returns the string values of a condition key under an
// operator, with bools spelled "true"/"false" (KMS's console writes
// "true" as a string, hand-written policies often use a JSON bool).
func conditionValues(st policy.Statement, operator, key string) []string {
	for op, keys := range st.Condition {
		if !strings.EqualFold(op, operator) {
			continue
		}
		for k, v := range keys {
			if !strings.EqualFold(k, key) || v == nil {
				continue
			}
			strs, bools, nums := v.Values()
			out := append([]string(nil), strs...)
			for _, b := range bools {
				out = append(out, fmt.Sprint(b))
			}
			for _, n := range nums {
				out = append(out, fmt.Sprint(n))
			}
			return out
		}
	}
	return nil
}

func conditionCount(st policy.Statement) int {
	n := 0
	for _, keys := range st.Condition {
		n += len(keys)
	}
	return n
}

func values(s *policy.StringOrSlice) []string {
	if s == nil {
		return nil
	}
	return s.Values()
}

func sortedUnique(items []string) []string {
	out := append([]string(nil), items...)
	sort.Strings(out)
	return slices.Compact(out)
}
