package plan

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// ChangeKind says what happened to a resource between two plans.
type ChangeKind string

// The kinds of resource change.
const (
	Added   ChangeKind = "added"
	Removed ChangeKind = "removed"
	Changed ChangeKind = "changed"
)

// ResourceChange is one resource's difference between two plans.
type ResourceChange struct {
	URN   string       `json:"urn"`
	Type  string       `json:"type"`
	Kind  ChangeKind   `json:"kind"`
	Paths []PathChange `json:"paths,omitempty"`
}

// PathChange is one changed value: Change is added (only New is set),
// removed (only Old) or changed (both).
type PathChange struct {
	Path   string     `json:"path"`
	Change ChangeKind `json:"change"`
	Old    any        `json:"old,omitempty"`
	New    any        `json:"new,omitempty"`
}

// Diff compares two plans resource by resource, in URN order. Inputs,
// dependencies and parents are compared; policy statements are matched by
// Sid so a reordering is not a change and a changed statement names itself.
func Diff(oldPlan, newPlan *Plan) []ResourceChange {
	olds := index(oldPlan)
	news := index(newPlan)
	urns := map[string]bool{}
	for u := range olds {
		urns[u] = true
	}
	for u := range news {
		urns[u] = true
	}
	var out []ResourceChange
	for _, u := range slices.Sorted(maps.Keys(urns)) {
		o, inOld := olds[u]
		n, inNew := news[u]
		switch {
		case !inOld:
			out = append(out, ResourceChange{URN: u, Type: n.Type, Kind: Added})
		case !inNew:
			out = append(out, ResourceChange{URN: u, Type: o.Type, Kind: Removed})
		default:
			var paths []PathChange
			paths = diffValue("inputs", normalize(o.Inputs), normalize(n.Inputs), paths)
			paths = diffValue("dependsOn", normalize(o.DependsOn), normalize(n.DependsOn), paths)
			paths = diffValue("parent", o.Parent, n.Parent, paths)
			if len(paths) > 0 {
				out = append(out, ResourceChange{URN: u, Type: n.Type, Kind: Changed, Paths: paths})
			}
		}
	}
	return out
}

func index(p *Plan) map[string]Resource {
	m := map[string]Resource{}
	for _, r := range p.Resources {
		m[r.URN] = r
	}
	return m
}

// normalize round-trips a value through JSON so plans read from files and
// plans rendered in memory compare alike (numbers, typed slices).
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return v
	}
	return out
}

func diffValue(path string, o, n any, acc []PathChange) []PathChange {
	if reflect.DeepEqual(o, n) {
		return acc
	}
	om, oIsMap := o.(map[string]any)
	nm, nIsMap := n.(map[string]any)
	if oIsMap && nIsMap {
		return diffMembers(om, nm, func(k string) string { return path + "." + k }, acc)
	}
	oa, oIsArr := o.([]any)
	na, nIsArr := n.([]any)
	if oIsArr && nIsArr && allHaveSid(oa) && allHaveSid(na) {
		return diffStatements(path, oa, na, acc)
	}
	return append(acc, PathChange{Path: path, Change: Changed, Old: o, New: n})
}

func allHaveSid(a []any) bool {
	if len(a) == 0 {
		return false
	}
	for _, e := range a {
		m, ok := e.(map[string]any)
		if !ok {
			return false
		}
		if _, ok := m["Sid"].(string); !ok {
			return false
		}
	}
	return true
}

// diffStatements matches policy statements by Sid.
func diffStatements(path string, o, n []any, acc []PathChange) []PathChange {
	bySid := func(a []any) map[string]any {
		m := map[string]any{}
		for _, e := range a {
			m[e.(map[string]any)["Sid"].(string)] = e
		}
		return m
	}
	return diffMembers(bySid(o), bySid(n), func(sid string) string { return fmt.Sprintf("%s[Sid=%q]", path, sid) }, acc)
}

// diffMembers diffs two maps key by key in sorted order, pathOf naming
// each key's place: an object's member or a policy statement by Sid.
func diffMembers(om, nm map[string]any, pathOf func(key string) string, acc []PathChange) []PathChange {
	for _, k := range unionKeys(om, nm) {
		ov, oOK := om[k]
		nv, nOK := nm[k]
		p := pathOf(k)
		switch {
		case !oOK:
			acc = append(acc, PathChange{Path: p, Change: Added, New: nv})
		case !nOK:
			acc = append(acc, PathChange{Path: p, Change: Removed, Old: ov})
		default:
			acc = diffValue(p, ov, nv, acc)
		}
	}
	return acc
}

// unionKeys returns the keys of both maps, sorted.
func unionKeys(a, b map[string]any) []string {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return slices.Sorted(maps.Keys(keys))
}

// ChangedStatements lists the Sids of policy statements a change touches.
func (c ResourceChange) ChangedStatements() []string {
	set := map[string]bool{}
	for _, p := range c.Paths {
		if i := strings.Index(p.Path, "[Sid="); i >= 0 {
			rest := p.Path[i+len("[Sid="):]
			if j := strings.Index(rest, "]"); j >= 0 {
				var sid string
				if json.Unmarshal([]byte(rest[:j]), &sid) == nil {
					set[sid] = true
				}
			}
		}
	}
	return slices.Sorted(maps.Keys(set))
}
