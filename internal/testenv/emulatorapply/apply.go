package emulatorapply

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kms-lab/kms-lab/internal/plan"
)

// Target is where and as whom the plan is applied.
type Target struct {
	// Config carries the emulator endpoint (BaseEndpoint), the region and
	// the credentials of the test's account.
	Config aws.Config
	// Options are the ones the plan was rendered with. AccountID, Region
	// and Partition must be set: the applier recomputes the mock
	// identifiers from them.
	Options plan.Options
	// ProjectDir is the directory file assets' project-relative paths are
	// read from (where Pulumi.yaml is).
	ProjectDir string
}

// Applied is what Apply created.
type Applied struct {
	// Outputs are the plan's outputs with the mock identifiers replaced by
	// the emulator's: what `pulumi stack output --json` would print.
	Outputs map[string]any
	// IDs maps each custom resource's URN to its physical ID: key ID, alias
	// name, bucket name, "bucket/key" for the object, trail ARN, and the
	// bucket name for bucket sub-resources (as the provider does).
	IDs map[string]string
	// Order lists the URNs of custom resources in the order they were
	// created.
	Order []string
	// Inputs are the inputs each resource was created with, after the mock
	// identifiers were replaced.
	Inputs map[string]map[string]any
}

// clients are the emulator clients of one Apply.
type clients struct {
	kms        *kms.Client
	s3         *s3.Client
	cloudtrail *cloudtrail.Client
}

// applier is the state of one Apply call.
type applier struct {
	target  Target
	clients clients
	// replace maps mock identifiers to real ones, longest first when applied.
	replace *replacer
}

// Apply creates every custom resource of p on the emulator, in dependency
// order, and returns the real identifiers and outputs. It stops at the first
// failed call; problems with the plan itself (unknown types or inputs,
// unresolved values, dependency cycles) are all found before any call.
func Apply(ctx context.Context, p *plan.Plan, t Target) (*Applied, error) {
	if err := checkTarget(t, p); err != nil {
		return nil, err
	}
	order, err := creationOrder(p)
	if err != nil {
		return nil, err
	}
	if err := checkSupported(order); err != nil {
		return nil, err
	}
	a := &applier{
		target: t,
		clients: clients{
			kms:        kms.NewFromConfig(t.Config),
			s3:         s3.NewFromConfig(t.Config, func(o *s3.Options) { o.UsePathStyle = true }),
			cloudtrail: cloudtrail.NewFromConfig(t.Config),
		},
		replace: newReplacer(),
	}
	out := &Applied{IDs: map[string]string{}, Inputs: map[string]map[string]any{}}
	for _, r := range order {
		inputs, ok := a.replace.value(r.Inputs).(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: inputs are not an object", describe(r))
		}
		id, err := a.create(ctx, r, inputs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", describe(r), err)
		}
		out.IDs[r.URN] = id
		out.Order = append(out.Order, r.URN)
		out.Inputs[r.URN] = inputs
	}
	outputs, ok := a.replace.value(p.Outputs).(map[string]any)
	if !ok {
		return nil, fmt.Errorf("plan outputs are not an object")
	}
	out.Outputs = outputs
	return out, nil
}

// checkTarget refuses a target that does not match the plan: the mock
// identifiers could not be recomputed, and the outputs would name another
// account or region than the resources are in.
func checkTarget(t Target, p *plan.Plan) error {
	var problems []string
	o := t.Options
	for _, f := range []struct{ name, value, output string }{
		{"AccountID", o.AccountID, "accountId"},
		{"Region", o.Region, "region"},
		{"Partition", o.Partition, "partition"},
	} {
		switch {
		case f.value == "":
			problems = append(problems, fmt.Sprintf("Options.%s is empty: set it to what the plan was rendered with", f.name))
		case p.Outputs[f.output] != f.value:
			problems = append(problems, fmt.Sprintf("Options.%s = %q but the plan's output %q is %v", f.name, f.value, f.output, p.Outputs[f.output]))
		}
	}
	if o.Region != "" && t.Config.Region != o.Region {
		problems = append(problems, fmt.Sprintf("Config.Region = %q, want the plan's region %q", t.Config.Region, o.Region))
	}
	if t.Config.BaseEndpoint == nil || *t.Config.BaseEndpoint == "" {
		problems = append(problems, "Config.BaseEndpoint is empty: the applier only talks to an emulator")
	}
	if st, err := os.Stat(t.ProjectDir); err != nil || !st.IsDir() {
		problems = append(problems, fmt.Sprintf("ProjectDir %q is not a directory", t.ProjectDir))
	}
	if len(problems) > 0 {
		return fmt.Errorf("emulatorapply: target: %s", strings.Join(problems, "; "))
	}
	return nil
}

// describe names a resource in errors the way the engine does.
func describe(r plan.Resource) string {
	return fmt.Sprintf("emulatorapply: %s %q", r.Type, r.Name)
}
