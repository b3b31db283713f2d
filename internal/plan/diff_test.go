package plan_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/plan"
)

func res(urn string, inputs map[string]any, deps ...string) plan.Resource {
	if deps == nil {
		deps = []string{}
	}
	return plan.Resource{URN: urn, Type: "t", Name: urn, DependsOn: deps, Inputs: inputs}
}

func policyWith(stmts ...map[string]any) map[string]any {
	arr := []any{}
	for _, s := range stmts {
		arr = append(arr, s)
	}
	return map[string]any{"Version": "2012-10-17", "Statement": arr}
}

func TestDiff(t *testing.T) {
	s1 := map[string]any{"Sid": "One", "Effect": "Allow", "Action": "kms:*"}
	s2 := map[string]any{"Sid": "Two", "Effect": "Allow", "Action": "kms:Decrypt"}
	s2b := map[string]any{"Sid": "Two", "Effect": "Deny", "Action": "kms:Decrypt"}
	tests := []struct {
		name     string
		old, new []plan.Resource
		want     []plan.ResourceChange
	}{
		{"identical", []plan.Resource{res("a", map[string]any{"x": 1.0})}, []plan.Resource{res("a", map[string]any{"x": 1.0})}, nil},
		{"added and removed",
			[]plan.Resource{res("a", nil)}, []plan.Resource{res("b", nil)},
			[]plan.ResourceChange{{URN: "a", Type: "t", Kind: plan.Removed}, {URN: "b", Type: "t", Kind: plan.Added}}},
		{"changed scalar, added and removed keys",
			[]plan.Resource{res("a", map[string]any{"x": "1", "gone": true})},
			[]plan.Resource{res("a", map[string]any{"x": "2", "new": true})},
			[]plan.ResourceChange{{URN: "a", Type: "t", Kind: plan.Changed, Paths: []plan.PathChange{
				{Path: "inputs.gone", Change: plan.Removed, Old: true},
				{Path: "inputs.new", Change: plan.Added, New: true},
				{Path: "inputs.x", Change: plan.Changed, Old: "1", New: "2"},
			}}}},
		{"statements reordered are not a change",
			[]plan.Resource{res("k", map[string]any{"policy": policyWith(s1, s2)})},
			[]plan.Resource{res("k", map[string]any{"policy": policyWith(s2, s1)})}, nil},
		{"a statement changed is named by Sid",
			[]plan.Resource{res("k", map[string]any{"policy": policyWith(s1, s2)})},
			[]plan.Resource{res("k", map[string]any{"policy": policyWith(s1, s2b)})},
			[]plan.ResourceChange{{URN: "k", Type: "t", Kind: plan.Changed, Paths: []plan.PathChange{
				{Path: `inputs.policy.Statement[Sid="Two"].Effect`, Change: plan.Changed, Old: "Allow", New: "Deny"},
			}}}},
		{"a statement dropped",
			[]plan.Resource{res("k", map[string]any{"policy": policyWith(s1, s2)})},
			[]plan.Resource{res("k", map[string]any{"policy": policyWith(s1)})},
			[]plan.ResourceChange{{URN: "k", Type: "t", Kind: plan.Changed, Paths: []plan.PathChange{
				{Path: `inputs.policy.Statement[Sid="Two"]`, Change: plan.Removed, Old: s2},
			}}}},
		{"a value that was null is removed",
			[]plan.Resource{res("a", map[string]any{"x": nil})}, []plan.Resource{res("a", map[string]any{})},
			[]plan.ResourceChange{{URN: "a", Type: "t", Kind: plan.Changed, Paths: []plan.PathChange{
				{Path: "inputs.x", Change: plan.Removed},
			}}}},
		{"a new dependency",
			[]plan.Resource{res("a", nil)}, []plan.Resource{res("a", nil, "b")},
			[]plan.ResourceChange{{URN: "a", Type: "t", Kind: plan.Changed, Paths: []plan.PathChange{
				{Path: "dependsOn", Change: plan.Changed, Old: []any{}, New: []any{"b"}},
			}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plan.Diff(&plan.Plan{Resources: tt.old}, &plan.Plan{Resources: tt.new})
			assert.Equal(t, tt.want, got)
		})
	}
}
