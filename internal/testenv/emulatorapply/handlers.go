package emulatorapply

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/kms-lab/kms-lab/internal/plan"
)

// handler creates one resource type on the emulator.
type handler interface {
	// check decodes the inputs without calling anything.
	check(inputs map[string]any) error
	// create makes the calls and returns the physical ID.
	create(ctx context.Context, a *applier, r plan.Resource, inputs map[string]any) (string, error)
}

// typed is a handler whose inputs decode into T; an input T has no field
// for is an error.
type typed[T any] func(ctx context.Context, a *applier, r plan.Resource, in *T) (string, error)

func (h typed[T]) check(inputs map[string]any) error {
	var in T
	return decodeInputs(inputs, &in)
}

func (h typed[T]) create(ctx context.Context, a *applier, r plan.Resource, inputs map[string]any) (string, error) {
	var in T
	if err := decodeInputs(inputs, &in); err != nil {
		return "", err
	}
	return h(ctx, a, r, &in)
}

// handlers maps every resource type the applier knows to its handler. A
// function, not a package variable, so nothing can change it.
func handlers() map[string]handler {
	return map[string]handler{
		"aws:kms/key:Key":          typed[keyInputs](createKey),
		"aws:kms/alias:Alias":      typed[aliasInputs](createAlias),
		"aws:s3/bucketV2:BucketV2": typed[bucketInputs](createBucket),
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": typed[bucketEncryptionInputs](putBucketEncryption),
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     typed[ownershipInputs](putOwnershipControls),
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     typed[publicAccessBlockInputs](putPublicAccessBlock),
		"aws:s3/bucketPolicy:BucketPolicy":                                                           typed[bucketPolicyInputs](putBucketPolicy),
		"aws:s3/bucketObjectv2:BucketObjectv2":                                                       typed[objectInputs](putObject),
		"aws:cloudtrail/trail:Trail":                                                                 typed[trailInputs](createTrail),
	}
}

// checkSupported finds every unknown type, undecodable input and value the
// plan could not know before the first call, and reports them together.
func checkSupported(order []plan.Resource) error {
	hs := handlers()
	var problems []string
	for _, r := range order {
		h, ok := hs[r.Type]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s %q: resource type not supported by the applier (it knows %s)", r.Type, r.Name, strings.Join(knownTypes(hs), ", ")))
			continue
		}
		if err := h.check(r.Inputs); err != nil {
			problems = append(problems, fmt.Sprintf("%s %q: %v", r.Type, r.Name, err))
		}
		if err := checkResolved(r.Inputs, ""); err != nil {
			problems = append(problems, fmt.Sprintf("%s %q: %v", r.Type, r.Name, err))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("emulatorapply: %s", strings.Join(problems, "; "))
	}
	return nil
}

func knownTypes(hs map[string]handler) []string {
	return slices.Sorted(maps.Keys(hs))
}

// create dispatches r to its handler.
func (a *applier) create(ctx context.Context, r plan.Resource, inputs map[string]any) (string, error) {
	h, ok := handlers()[r.Type]
	if !ok {
		return "", fmt.Errorf("resource type not supported by the applier")
	}
	return h.create(ctx, a, r, inputs)
}

// decodeInputs decodes a plan's inputs into dst. Every top-level input dst
// has no field for is listed in one error; nested unknown fields are
// refused too (the first one found).
func decodeInputs(inputs map[string]any, dst any) error {
	known := jsonFields(reflect.TypeOf(dst).Elem())
	var unknown []string
	for k := range inputs {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("inputs %s not understood by the applier (it knows %s)", quoteAll(unknown), strings.Join(slices.Sorted(maps.Keys(known)), ", "))
	}
	data, err := json.Marshal(inputs)
	if err != nil {
		return fmt.Errorf("encoding inputs: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("inputs not understood by the applier: %w", err)
	}
	return nil
}

func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = true
		}
	}
	return out
}

func quoteAll(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// policyJSON renders a policy document the plan decoded back to JSON (a
// policy the plan could not decode is still the provider's string).
func policyJSON(doc any) (string, error) {
	switch d := doc.(type) {
	case nil:
		return "", fmt.Errorf("policy is missing")
	case string:
		return d, nil
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", fmt.Errorf("encoding policy: %w", err)
	}
	return string(b), nil
}
