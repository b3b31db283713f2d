package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// WriteJSON writes the plan as indented JSON with sorted object keys (Go
// sorts map keys), no HTML escaping and a final newline: byte-identical for
// identical input.
func WriteJSON(w io.Writer, p *Plan) error {
	b, err := MarshalJSON(p)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// MarshalJSON returns the canonical JSON bytes of a plan.
func MarshalJSON(p *Plan) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("encode plan: %w", err)
	}
	return buf.Bytes(), nil
}

// ReadJSON reads a plan written by WriteJSON.
func ReadJSON(r io.Reader) (*Plan, error) {
	var p Plan
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("decode plan: %w", err)
	}
	if p.Project == "" || p.Resources == nil {
		return nil, fmt.Errorf("decode plan: not a labplan JSON plan (no project or resources)")
	}
	return &p, nil
}
