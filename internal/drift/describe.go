package drift

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/kms-lab/kms-lab/policies"
)

// keyStatements names the statements of the console's default key policy
// (the program's policies.KeyPolicy) by what they grant, and the stack
// setting that lists their principals.
var keyStatements = []struct{ sid, who, setting string }{
	{policies.SidRootAccess, "account root access", ""},
	{policies.SidKeyAdministrators, "key administrators", "kms-lab:keyAdministrators"},
	{policies.SidKeyUsers, "key users", "kms-lab:keyUsers"},
	{policies.SidPersistentGrants, "key users for grants", "kms-lab:keyUsers"},
}

func describe(typ, path, kind string, now, code any) []PropertyChange {
	if path == "policy" {
		switch typ {
		case "aws:kms/key:Key":
			if pcs := keyPolicyChanges(kind, now, code); len(pcs) > 0 {
				return pcs
			}
		case "aws:s3/bucketPolicy:BucketPolicy":
			if pc, ok := statementChanges("bucket policy", kind, now, code); ok {
				return []PropertyChange{pc}
			}
		}
	}
	var summary string
	switch {
	case now == nil && code != nil:
		summary = fmt.Sprintf("%s: removed in AWS (code: %s)", path, show(code))
	case code == nil && now != nil:
		summary = fmt.Sprintf("%s: added in AWS, now %s (not in the code)", path, show(now))
	default:
		summary = fmt.Sprintf("%s: now %s (code: %s)", path, show(now), show(code))
	}
	return []PropertyChange{{Path: path, Kind: kind, Summary: summary, Now: now, Code: code}}
}

// keyPolicyChanges compares the key policy statement by statement (by
// Sid), so the report says "key users now [...]" rather than two JSON blobs.
func keyPolicyChanges(kind string, now, code any) []PropertyChange {
	nowDoc, ok1 := policyDoc(now)
	codeDoc, ok2 := policyDoc(code)
	if !ok1 || !ok2 {
		return nil
	}
	var out []PropertyChange
	known := map[string]bool{}
	for _, ks := range keyStatements {
		known[ks.sid] = true
		n, inNow := nowDoc[ks.sid]
		c, inCode := codeDoc[ks.sid]
		if !inNow && !inCode {
			continue
		}
		np, cp := principals(n), principals(c)
		if inNow == inCode && strings.Join(np, ",") == strings.Join(cp, ",") && sameStatement(n, c) {
			continue
		}
		var summary string
		switch {
		case !inNow:
			summary = fmt.Sprintf("key policy: statement %q removed, so no %s (code: %s)", ks.sid, ks.who, list(cp))
		case !inCode:
			summary = fmt.Sprintf("key policy: statement %q added, %s now %s", ks.sid, ks.who, list(np))
		case strings.Join(np, ",") != strings.Join(cp, ","):
			summary = fmt.Sprintf("key policy: %s now %s (code: %s)", ks.who, list(np), list(cp))
		default:
			summary = fmt.Sprintf("key policy: statement %q (%s) changed", ks.sid, ks.who)
		}
		pc := PropertyChange{Path: "policy", Kind: kind, Summary: summary, Now: np, Code: cp, Setting: ks.setting}
		if !inNow {
			pc.Now = nil
		}
		out = append(out, pc)
	}
	var other []string
	for sid := range nowDoc {
		if !known[sid] {
			if _, inCode := codeDoc[sid]; !inCode {
				other = append(other, fmt.Sprintf("%q added", sid))
			} else if !sameStatement(nowDoc[sid], codeDoc[sid]) {
				other = append(other, fmt.Sprintf("%q changed", sid))
			}
		}
	}
	for sid := range codeDoc {
		if _, inNow := nowDoc[sid]; !known[sid] && !inNow {
			other = append(other, fmt.Sprintf("%q removed", sid))
		}
	}
	sort.Strings(other)
	if len(other) > 0 {
		out = append(out, PropertyChange{Path: "policy", Kind: kind, Summary: "key policy: statement " + strings.Join(other, ", ")})
	}
	return out
}

// statementChanges says which statements of a policy were added, removed
// or changed in AWS.
func statementChanges(what, kind string, now, code any) (PropertyChange, bool) {
	nowDoc, ok1 := policyDoc(now)
	codeDoc, ok2 := policyDoc(code)
	if !ok1 || !ok2 {
		return PropertyChange{}, false
	}
	var parts []string
	for sid, s := range nowDoc {
		c, ok := codeDoc[sid]
		switch {
		case !ok:
			parts = append(parts, fmt.Sprintf("%q added", sid))
		case !sameStatement(s, c):
			parts = append(parts, fmt.Sprintf("%q changed", sid))
		}
	}
	for sid := range codeDoc {
		if _, ok := nowDoc[sid]; !ok {
			parts = append(parts, fmt.Sprintf("%q removed", sid))
		}
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return PropertyChange{}, false
	}
	return PropertyChange{Path: "policy", Kind: kind, Summary: what + ": statement " + strings.Join(parts, ", ")}, true
}

// policyDoc decodes a policy (a JSON string, as the provider holds it) into
// its statements by Sid; a statement without a Sid is keyed by position.
func policyDoc(v any) (map[string]map[string]any, bool) {
	s, ok := v.(string)
	if !ok {
		return nil, false
	}
	var doc struct {
		Statement []map[string]any `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		return nil, false
	}
	out := map[string]map[string]any{}
	for i, st := range doc.Statement {
		sid, _ := st["Sid"].(string)
		if sid == "" {
			sid = fmt.Sprintf("statement %d", i+1)
		}
		out[sid] = st
	}
	return out, true
}

// principals lists a statement's AWS principals, sorted.
func principals(st map[string]any) []string {
	out := []string{}
	if st == nil {
		return out
	}
	switch p := st["Principal"].(type) {
	case string:
		out = append(out, p)
	case map[string]any:
		switch a := p["AWS"].(type) {
		case string:
			out = append(out, a)
		case []any:
			for _, e := range a {
				out = append(out, fmt.Sprint(e))
			}
		}
	}
	sort.Strings(out)
	return out
}

// sameStatement compares two statements with their principal lists sorted
// (IAM keeps no order in a principal list).
func sameStatement(a, b map[string]any) bool {
	norm := func(m map[string]any) string {
		c := map[string]any{}
		for k, v := range m {
			c[k] = v
		}
		c["Principal"] = principals(m)
		data, _ := json.Marshal(c) // maps of JSON values always marshal
		return string(data)
	}
	return norm(a) == norm(b)
}

func list(items []string) string { return "[" + strings.Join(items, ", ") + "]" }

// show renders a value compactly for a table cell.
func show(v any) string {
	if v == nil {
		return "none"
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(data)
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}

// remedies says what each command would do with the change.
func remedies(c Change) (revert, accept string) {
	switch c.Op {
	case "create":
		return "creates it again",
			"drops it from the state; the next `pulumi up` still creates it again"
	case "delete":
		return "deletes it", "keeps it in the state; the next `pulumi up` still deletes it"
	case "replace":
		return "replaces it (a new resource, the old one deleted): " + paths(c),
			"records AWS's values in the state; the next `pulumi up` still replaces it unless the code changes"
	}
	revert = "sets " + paths(c) + " back to the code's values"
	accept = "records AWS's values in the state; to keep them, "
	var settings []string
	seen := map[string]bool{}
	for _, p := range c.Properties {
		if p.Setting != "" && !seen[p.Setting] {
			seen[p.Setting] = true
			settings = append(settings, p.Setting)
		}
	}
	if len(settings) > 0 {
		return revert, accept + "also set " + strings.Join(settings, " and ") + " in the stack file, or the next `pulumi up` reverts them"
	}
	return revert, accept + "change the code or the stack file too, or the next `pulumi up` reverts them"
}

func paths(c Change) string {
	var ps []string
	seen := map[string]bool{}
	for _, p := range c.Properties {
		if !seen[p.Path] {
			seen[p.Path] = true
			ps = append(ps, p.Path)
		}
	}
	if len(ps) == 0 {
		return "its properties"
	}
	return strings.Join(ps, ", ")
}
