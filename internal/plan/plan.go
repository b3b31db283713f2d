// Package plan renders what `pulumi up` would create for a stack, without
// AWS or the Pulumi CLI: it runs the real program on the mock engine, fed by
// the stack's config file, and records every registration. It also diffs two
// plans resource by resource.
package plan

// Plan is the stable, documented JSON form of one stack's desired state.
type Plan struct {
	Stack     string         `json:"stack"`
	Project   string         `json:"project"`
	Resources []Resource     `json:"resources"`
	Outputs   map[string]any `json:"outputs"`
}

// Resource is one registration as the engine would see it.
type Resource struct {
	URN       string         `json:"urn"`
	Type      string         `json:"type"`
	Name      string         `json:"name"`
	Parent    string         `json:"parent"`
	DependsOn []string       `json:"dependsOn"`
	Inputs    map[string]any `json:"inputs"`
}

// Find returns the first resource of a type, or nil.
func (p *Plan) Find(typ string) *Resource {
	for i := range p.Resources {
		if p.Resources[i].Type == typ {
			return &p.Resources[i]
		}
	}
	return nil
}

// children returns the resources whose parent is urn, in URN order.
func (p *Plan) children(urn string) []Resource {
	var out []Resource
	for _, r := range p.Resources {
		if r.Parent == urn {
			out = append(out, r)
		}
	}
	return out
}
