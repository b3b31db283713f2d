package emulatorapply

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/kms-lab/kms-lab/internal/plan"
)

// isComponent reports whether r is one of the program's component
// resources (type "<project>:<module>:<Name>"): a grouping with no API call.
func isComponent(p *plan.Plan, r plan.Resource) bool {
	return strings.HasPrefix(r.Type, p.Project+":")
}

// creationOrder returns the plan's custom resources so that each comes after
// everything it depends on (dependsOn holds the explicit and the
// input-derived edges; an edge to a component stands for the component's
// children, as in the engine). Ties are broken by URN, so the order is the
// same on every run.
func creationOrder(p *plan.Plan) ([]plan.Resource, error) {
	byURN := map[string]plan.Resource{}
	children := map[string][]string{}
	for _, r := range p.Resources {
		if _, dup := byURN[r.URN]; dup {
			return nil, fmt.Errorf("emulatorapply: plan lists %s twice", r.URN)
		}
		byURN[r.URN] = r
		children[r.Parent] = append(children[r.Parent], r.URN)
	}
	var problems []string
	for _, r := range p.Resources {
		if isComponent(p, r) && len(r.Inputs) > 0 {
			problems = append(problems, fmt.Sprintf("component %s has inputs %s; components are expected to have none", r.URN, strings.Join(slices.Sorted(maps.Keys(r.Inputs)), ", ")))
		}
	}

	// customDeps expands a dependency on a component into its descendants.
	var customDeps func(urn string, seen map[string]bool) []string
	customDeps = func(urn string, seen map[string]bool) []string {
		if seen[urn] {
			return nil
		}
		seen[urn] = true
		d, ok := byURN[urn]
		if !ok {
			return nil
		}
		if !isComponent(p, d) {
			return []string{urn}
		}
		var out []string
		for _, c := range children[urn] {
			out = append(out, customDeps(c, seen)...)
		}
		return out
	}

	deps := map[string]map[string]bool{} // custom URN -> custom URNs it waits for
	dependents := map[string][]string{}
	var custom []string
	for _, r := range p.Resources {
		if isComponent(p, r) {
			continue
		}
		custom = append(custom, r.URN)
		deps[r.URN] = map[string]bool{}
		for _, d := range r.DependsOn {
			if _, ok := byURN[d]; !ok {
				problems = append(problems, fmt.Sprintf("%s depends on %s, which the plan does not contain", r.URN, d))
				continue
			}
			for _, c := range customDeps(d, map[string]bool{}) {
				if c != r.URN && !deps[r.URN][c] {
					deps[r.URN][c] = true
					dependents[c] = append(dependents[c], r.URN)
				}
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("emulatorapply: plan: %s", strings.Join(problems, "; "))
	}

	// Kahn's algorithm, always taking the smallest ready URN.
	waiting := map[string]int{}
	var ready []string
	for _, u := range custom {
		waiting[u] = len(deps[u])
		if waiting[u] == 0 {
			ready = append(ready, u)
		}
	}
	var order []plan.Resource
	for len(ready) > 0 {
		sort.Strings(ready)
		u := ready[0]
		ready = ready[1:]
		order = append(order, byURN[u])
		for _, d := range dependents[u] {
			waiting[d]--
			if waiting[d] == 0 {
				ready = append(ready, d)
			}
		}
	}
	if len(order) < len(custom) {
		var stuck []string
		for _, u := range custom {
			if waiting[u] > 0 {
				stuck = append(stuck, u)
			}
		}
		sort.Strings(stuck)
		return nil, fmt.Errorf("emulatorapply: plan: dependency cycle among %s", strings.Join(stuck, ", "))
	}
	return order, nil
}
