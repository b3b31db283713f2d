package awsmock

import (
	"fmt"
	"sort"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Registration is one resource as the engine received it.
type Registration struct {
	URN       string
	Type      string
	Name      string
	Custom    bool
	Parent    string
	DependsOn []string
	// PropertyDependencies maps an input to the URNs its value came from.
	PropertyDependencies map[string][]string
	Inputs               resource.PropertyMap
}

// Recorder keeps every registration of one run, safe for the engine's
// concurrent calls.
type Recorder struct {
	Project, Stack string

	mu    sync.Mutex
	regs  map[string]Registration
	calls []string
}

// NewRecorder returns a recorder for one project and stack.
func NewRecorder(project, stack string) *Recorder {
	return &Recorder{Project: project, Stack: stack, regs: map[string]Registration{}}
}

func (r *Recorder) record(args pulumi.MockResourceArgs) error {
	rpc := args.RegisterRPC
	if rpc == nil {
		return fmt.Errorf("awsmock: %s %s was read, not registered; the lab reads no resources", args.TypeToken, args.Name)
	}
	reg := Registration{
		Type:                 args.TypeToken,
		Name:                 args.Name,
		Custom:               args.Custom,
		Parent:               rpc.GetParent(),
		DependsOn:            append([]string(nil), rpc.GetDependencies()...),
		PropertyDependencies: map[string][]string{},
		Inputs:               args.Inputs.Copy(),
	}
	for k, deps := range rpc.GetPropertyDependencies() {
		reg.PropertyDependencies[k] = append([]string(nil), deps.GetUrns()...)
	}
	reg.URN = r.urn(reg.Parent, reg.Type, reg.Name)
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.regs[reg.URN]; dup {
		return fmt.Errorf("awsmock: duplicate resource URN %s", reg.URN)
	}
	r.regs[reg.URN] = reg
	return nil
}

// urn computes the URN exactly as the engine (and the mock monitor) does.
func (r *Recorder) urn(parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(r.Stack), tokens.PackageName(r.Project), parentType, tokens.Type(typ), name))
}

// Registrations returns every registration sorted by URN.
func (r *Recorder) Registrations() []Registration {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Registration, 0, len(r.regs))
	for _, reg := range r.regs {
		out = append(out, reg)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// Calls returns the data-source call tokens in the order the program made them.
func (r *Recorder) Calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

func (r *Recorder) recordCall(token string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, token)
}
