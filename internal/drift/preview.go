// Package drift turns the output of `pulumi preview --refresh
// --expect-no-changes --json`, one per lab-account stack, into a drift
// report: which stacks still match their code, and for a drifted stack which
// resources and properties changed, what `pulumi up` would do to revert it
// and what `pulumi refresh` would do to accept it.
package drift

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// digest is the document `pulumi preview --json` prints: Pulumi's
// display.PreviewDigest (pkg/display/json.go in pulumi/pulumi), reduced to
// the fields read here. Its steps carry the engine's step metadata: op, URN,
// the old and new resource states (apitype.ResourceV3) and the detailed
// per-property diff.
type digest struct {
	Steps         []step         `json:"steps"`
	Diagnostics   []diagnostic   `json:"diagnostics"`
	ChangeSummary map[string]int `json:"changeSummary"`
}

// step is display.PreviewStep.
type step struct {
	Op             string                  `json:"op"`
	URN            string                  `json:"urn"`
	OldState       *state                  `json:"oldState"`
	NewState       *state                  `json:"newState"`
	DiffReasons    []string                `json:"diffReasons"`
	ReplaceReasons []string                `json:"replaceReasons"`
	DetailedDiff   map[string]propertyDiff `json:"detailedDiff"`
}

// state is apitype.ResourceV3, reduced.
type state struct {
	URN     string         `json:"urn"`
	Type    string         `json:"type"`
	ID      string         `json:"id"`
	Inputs  map[string]any `json:"inputs"`
	Outputs map[string]any `json:"outputs"`
}

// propertyDiff is display.PropertyDiff: kind is add, add-replace, delete,
// delete-replace, update or update-replace (plugin.DiffKind.String).
type propertyDiff struct {
	Kind      string `json:"kind"`
	InputDiff bool   `json:"inputDiff"`
}

// diagnostic is display.PreviewDiagnostic; severity is diag.Severity
// ("debug", "info", "info#err", "warning", "error").
type diagnostic struct {
	URN      string `json:"urn"`
	Message  string `json:"message"`
	Severity string `json:"severity"`
}

// parseDigest reads a preview document. An empty input is an error: a
// preview that could not start prints nothing on stdout.
func parseDigest(data []byte) (digest, error) {
	var d digest
	if len(bytes.TrimSpace(data)) == 0 {
		return d, fmt.Errorf("the preview printed no JSON")
	}
	if err := json.Unmarshal(data, &d); err != nil {
		return d, fmt.Errorf("the preview's JSON cannot be read: %w", err)
	}
	return d, nil
}

// Type of the resource the step acts on.
func (s step) Type() string {
	for _, st := range []*state{s.NewState, s.OldState} {
		if st != nil && st.Type != "" {
			return st.Type
		}
	}
	return urnPart(s.URN, 1)
}

// name is the resource's logical name, the URN's last part.
func (s step) name() string { return urnPart(s.URN, 2) }

// urnPart splits urn:pulumi:<stack>::<project>::<type chain>::<name>:
// 1 is the resource's own type, 2 its name.
func urnPart(urn string, part int) string {
	parts := bytes.Split([]byte(urn), []byte("::"))
	if len(parts) < 4 {
		return ""
	}
	if part == 2 {
		return string(bytes.Join(parts[3:], []byte("::")))
	}
	chain := bytes.Split(parts[2], []byte("$"))
	return string(chain[len(chain)-1])
}
