package policies

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/micahhausler/aws-iam-policy/policy"
)

// ErrInvalidDocument is wrapped by Render's errors for documents that break
// the IAM policy grammar.
var ErrInvalidDocument = errors.New("invalid policy document")

// Render returns p as canonical JSON, the form this project hands to AWS and
// keeps in golden files:
//
//   - keys in the order AWS documents and consoles use: Version, Id,
//     Statement; in each statement Sid, Effect, Principal, NotPrincipal,
//     Action, NotAction, Resource, NotResource, Condition;
//   - statements in document order, always as an array;
//   - a list of one value as a plain string, longer lists in document order;
//   - principal kinds (AWS, CanonicalUser, Federated, Service), condition
//     operators and condition keys in byte order;
//   - two-space indentation, no trailing newline, and no HTML escaping, so
//     characters such as & or < appear as themselves;
//   - absent elements omitted rather than rendered as null.
//
// Equal documents therefore render to identical bytes, whatever singular or
// list form their values were built or parsed with, and rendering a parsed
// rendering gives the same bytes again.
//
// Render also refuses documents that break the policy grammar in ways the
// library would silently emit as null or empty: no statements, an unknown
// Version or Effect, a statement without exactly one of Action and
// NotAction, both Resource and NotResource, both Principal and NotPrincipal,
// or an empty value, list, principal or condition.
func Render(p *policy.Policy) (string, error) {
	doc, err := canonical(p)
	if err != nil {
		return "", fmt.Errorf("policies: render: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return "", fmt.Errorf("policies: render: %w", err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// The structs below exist only to fix the key order: encoding/json writes
// struct fields in declaration order, whereas the library declares them
// alphabetically (Action, Condition, Effect, ..., Sid).

type documentJSON struct {
	Version   string          `json:"Version"`
	ID        string          `json:"Id,omitempty"`
	Statement []statementJSON `json:"Statement"`
}

type statementJSON struct {
	Sid          string `json:"Sid,omitempty"`
	Effect       string `json:"Effect"`
	Principal    any    `json:"Principal,omitempty"`
	NotPrincipal any    `json:"NotPrincipal,omitempty"`
	Action       any    `json:"Action,omitempty"`
	NotAction    any    `json:"NotAction,omitempty"`
	Resource     any    `json:"Resource,omitempty"`
	NotResource  any    `json:"NotResource,omitempty"`
	// Maps, because encoding/json sorts map keys: operators and condition
	// keys come out in byte order without further work.
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

type principalJSON struct {
	AWS           any `json:"AWS,omitempty"`
	CanonicalUser any `json:"CanonicalUser,omitempty"`
	Federated     any `json:"Federated,omitempty"`
	Service       any `json:"Service,omitempty"`
}

func invalid(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidDocument, fmt.Sprintf(format, a...))
}

func canonical(p *policy.Policy) (*documentJSON, error) {
	if p == nil {
		return nil, invalid("nil policy")
	}
	if p.Version != policy.Version2012_10_17 && p.Version != policy.Version2008_10_17 {
		return nil, invalid("Version %q must be %q or %q", p.Version, policy.Version2012_10_17, policy.Version2008_10_17)
	}
	if p.Statements == nil || len(p.Statements.Values()) == 0 {
		return nil, invalid("policy has no statements")
	}
	doc := &documentJSON{Version: p.Version, ID: p.Id}
	for i, s := range p.Statements.Values() {
		out, err := canonicalStatement(s)
		if err != nil {
			return nil, fmt.Errorf("statement %d (Sid %q): %w", i, s.Sid, err)
		}
		doc.Statement = append(doc.Statement, out)
	}
	return doc, nil
}

func canonicalStatement(s policy.Statement) (statementJSON, error) {
	out := statementJSON{Sid: s.Sid, Effect: s.Effect}
	if s.Effect != policy.EffectAllow && s.Effect != policy.EffectDeny {
		return out, invalid("Effect %q must be %q or %q", s.Effect, policy.EffectAllow, policy.EffectDeny)
	}
	if (s.Action == nil) == (s.NotAction == nil) {
		return out, invalid("a statement needs exactly one of Action and NotAction")
	}
	if s.Resource != nil && s.NotResource != nil {
		return out, invalid("a statement may have Resource or NotResource, not both")
	}
	if s.Principal != nil && s.NotPrincipal != nil {
		return out, invalid("a statement may have Principal or NotPrincipal, not both")
	}
	var err error
	set := func(dst *any, field string, v *policy.StringOrSlice) {
		if err == nil {
			*dst, err = stringOrList(field, v)
		}
	}
	set(&out.Action, "Action", s.Action)
	set(&out.NotAction, "NotAction", s.NotAction)
	set(&out.Resource, "Resource", s.Resource)
	set(&out.NotResource, "NotResource", s.NotResource)
	if err != nil {
		return out, err
	}
	if out.Principal, err = canonicalPrincipal("Principal", s.Principal); err != nil {
		return out, err
	}
	if out.NotPrincipal, err = canonicalPrincipal("NotPrincipal", s.NotPrincipal); err != nil {
		return out, err
	}
	if out.Condition, err = canonicalCondition(s.Condition); err != nil {
		return out, err
	}
	return out, nil
}

// stringOrList returns nil for an absent element, so omitempty drops it, a
// string for one value and a copy of the list otherwise.
func stringOrList(field string, v *policy.StringOrSlice) (any, error) {
	if v == nil {
		return nil, nil
	}
	values := v.Values()
	if len(values) == 0 {
		return nil, invalid("%s is an empty list", field)
	}
	if slices.Contains(values, "") {
		return nil, invalid("%s %q has an empty value", field, values)
	}
	if len(values) == 1 {
		return values[0], nil
	}
	return slices.Clone(values), nil
}

func canonicalPrincipal(field string, p *policy.Principal) (any, error) {
	if p == nil {
		return nil, nil
	}
	if p.AWS() == nil && p.CanonicalUser() == nil && p.Federated() == nil && p.Service() == nil {
		// The library keeps a bare-string principal private; its JSON is
		// the only way to read it. The grammar allows only "*" there.
		raw, err := p.MarshalJSON()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		var s string
		if json.Unmarshal(raw, &s) == nil && s == policy.PrincipalAll {
			return s, nil
		}
		return nil, invalid("%s %s must name at least one principal, or be \"*\"", field, raw)
	}
	var out principalJSON
	var err error
	set := func(dst *any, kind string, v *policy.StringOrSlice) {
		if err == nil {
			*dst, err = stringOrList(field+"."+kind, v)
		}
	}
	set(&out.AWS, policy.PrincipalKindAWS, p.AWS())
	set(&out.CanonicalUser, policy.PrincipalKindCanonical, p.CanonicalUser())
	set(&out.Federated, policy.PrincipalKindFederated, p.Federated())
	set(&out.Service, policy.PrincipalKindService, p.Service())
	if err != nil {
		return nil, err
	}
	return out, nil
}

func canonicalCondition(c map[string]map[string]*policy.ConditionValue) (map[string]map[string]any, error) {
	if len(c) == 0 {
		return nil, nil
	}
	out := make(map[string]map[string]any, len(c))
	for op, keys := range c {
		if op == "" {
			return nil, invalid("Condition has an empty operator")
		}
		if len(keys) == 0 {
			return nil, invalid("Condition operator %s has no keys", op)
		}
		out[op] = make(map[string]any, len(keys))
		for key, v := range keys {
			if key == "" {
				return nil, invalid("Condition operator %s has an empty key", op)
			}
			value, err := conditionValue(v)
			if err != nil {
				return nil, fmt.Errorf("condition %s %s: %w", op, key, err)
			}
			out[op][key] = value
		}
	}
	return out, nil
}

// conditionValue keeps the value's JSON type (string, boolean or number), as
// IAM compares them by operator, and applies the one-value-as-scalar rule.
func conditionValue(v *policy.ConditionValue) (any, error) {
	if v == nil {
		return nil, invalid("no value")
	}
	strs, bools, nums := v.Values()
	var kinds int
	for _, n := range []int{len(strs), len(bools), len(nums)} {
		if n > 0 {
			kinds++
		}
	}
	switch {
	case kinds == 0:
		return nil, invalid("no value")
	case kinds > 1:
		return nil, invalid("values mix strings, booleans and numbers")
	case len(strs) > 0:
		return scalarOrList(strs), nil
	case len(bools) > 0:
		return scalarOrList(bools), nil
	default:
		return scalarOrList(nums), nil
	}
}

func scalarOrList[T any](values []T) any {
	if len(values) == 1 {
		return values[0]
	}
	return slices.Clone(values)
}
