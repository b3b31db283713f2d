package classes

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/valuetext"
)

// classFields are a class file's fields, in the order the docs list them.
var classFields = []string{"name", "description", "enabled", "startsAt", "endsAt", "mode", "stacks"}

// decodeClass reads a class file's fields from its YAML, one problem per
// field that is unknown or of the wrong kind, in the file's words rather
// than the YAML library's ("cannot unmarshal !!str into []string"). An
// unknown field is an error, so that a typo such as "stack:" does not
// silently leave a class without stacks.
func decodeClass(data []byte, bad func(format string, args ...any)) (raw classFile, ok bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		bad("is not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
		return raw, false
	}
	if len(doc.Content) == 0 {
		bad("the file is empty: a class file sets name: (the file's name) and stacks: (one stack per lab account)")
		return raw, false
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		bad("must be a map of fields (name:, stacks:, ...), was %s", nodeKind(top))
		return raw, false
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, value := top.Content[i].Value, top.Content[i+1]
		switch key {
		case "name":
			raw.Name = text(key, value, bad)
		case "description":
			raw.Description = text(key, value, bad)
		case "startsAt":
			raw.StartsAt = text(key, value, bad)
		case "endsAt":
			raw.EndsAt = text(key, value, bad)
		case "mode":
			raw.Mode = text(key, value, bad)
		case "enabled":
			var b bool
			if value.Kind != yaml.ScalarNode || value.ShortTag() != "!!bool" || value.Decode(&b) != nil {
				bad("enabled = %s: must be true or false", shown(value))
				continue
			}
			raw.Enabled = &b
		case "stacks":
			raw.Stacks = stackList(value, bad)
		default:
			if s := config.Suggest(key, classFields); s != "" {
				bad("%s: not a field of a class file; did you mean %s?", key, s)
			} else {
				bad("%s: not a field of a class file (the fields are %s)", key, strings.Join(classFields, ", "))
			}
		}
	}
	return raw, true
}

// text is a field that holds one piece of text. A number or a date that
// YAML would read as such is still text here: "startsAt: 2026-12-04T17:00:00Z"
// unquoted is what a user writes.
func text(key string, n *yaml.Node, bad func(string, ...any)) string {
	switch {
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null":
		return "" // left empty: as if not given
	case n.Kind != yaml.ScalarNode:
		bad("%s = %s: must be one piece of text, was %s", key, shown(n), nodeKind(n))
		return ""
	}
	return n.Value
}

// stackList is the stacks field: a list of stack names.
func stackList(n *yaml.Node, bad func(string, ...any)) []string {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil // reported as an empty list
	}
	if n.Kind != yaml.SequenceNode {
		hint := ""
		if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
			hint = fmt.Sprintf("; for one stack write stacks: [%s]", n.Value)
		}
		bad("stacks = %s: must be a list of stack names, one per lab account%s", shown(n), hint)
		return nil
	}
	var out []string
	for _, item := range n.Content {
		if item.Kind != yaml.ScalarNode || item.ShortTag() == "!!null" {
			bad("stacks: the entry %s must be a stack name", shown(item))
			continue
		}
		out = append(out, item.Value)
	}
	return out
}

// shown is a node as the file writes it, quoted and cut when long.
func shown(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return "(empty)"
	}
	return valuetext.Quote(nodeText(n))
}

// nodeKind says what a YAML node is, in the file's words.
func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a map"
	}
	return "the text " + shown(n)
}
