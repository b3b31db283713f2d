// Package stackfile checks the shape of a Pulumi stack file,
// Pulumi.<stack>.yaml, in the file's words, for the two readers of stack
// files: internal/stackconfig (labplan, labctl preflight) and
// internal/classes (the class workflows, labctl class). It needs neither the
// Pulumi SDK nor the AWS SDK.
package stackfile

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	kmsconfig "github.com/kms-lab/kms-lab/internal/config"
)

// Problem is one thing wrong with the file's shape: Key is the top-level
// key, or "the file".
type Problem struct {
	Key  string
	Rule string
}

// ProfileWithRole is the rule both readers apply to a stack file that sets
// aws:profile and aws:assumeRole: docs/classes.md says to set one.
const ProfileWithRole = "is set together with aws:assumeRole: set one of the two, not both (docs/classes.md)"

// stackFileKeys are the top-level keys of a Pulumi stack file (the Pulumi
// SDK's workspace.ProjectStack). Pulumi ignores any other key, so a
// misspelt config: would leave the stack without settings and be reported
// only as a missing aws:region.
var stackFileKeys = []string{"config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"}

// Shape checks the stack file's shape before the Pulumi SDK reads
// it, whose own errors name Go types ("expected project to be an object,
// was '[]interface {}'"). fatal is true when the file cannot be read as a
// stack file at all; an unknown top-level key is not fatal, so that the
// settings' own problems come in the same run.
//
// config is the file's config: map, nil when it has none.
func Shape(data []byte) (config *yaml.Node, problems []Problem, fatal bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, []Problem{{Key: "the file", Rule: "is not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}, true
	}
	if len(doc.Content) == 0 {
		return nil, nil, false // an empty stack file is a stack without settings
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, []Problem{{Key: "the file", Rule: "must be a map with the stack's settings under config:, was " + KindName(top)}}, true
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, value := top.Content[i].Value, top.Content[i+1]
		switch {
		case key == "config" && value.Kind == yaml.MappingNode:
			config = value
		case key == "config" && !isNull(value):
			problems = append(problems, Problem{Key: "config", Rule: "must be a map of settings (aws:region: us-west-2, ...), was " + KindName(value)})
			fatal = true
		case !slices.Contains(stackFileKeys, key):
			rule := "is not a key of a stack file, and Pulumi ignores it"
			if s := kmsconfig.Suggest(key, stackFileKeys); s != "" {
				rule += "; did you mean " + s + ":?"
			} else {
				rule += " (a stack file's keys are " + strings.Join(stackFileKeys, ", ") + ")"
			}
			problems = append(problems, Problem{Key: key, Rule: rule})
		}
	}
	return config, problems, fatal
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// KindName says what a YAML node is, in the words of the file.
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a map"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.ShortTag() {
	case "!!null":
		return "empty"
	case "!!int", "!!float":
		return fmt.Sprintf("the number %s", n.Value)
	case "!!bool":
		return "the boolean " + n.Value
	}
	return fmt.Sprintf("the text %q", n.Value)
}
