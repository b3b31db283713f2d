package stackconfig

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	kmsconfig "github.com/kms-lab/kms-lab/internal/config"
)

// stackFileKeys are the top-level keys of a Pulumi stack file (the Pulumi
// SDK's workspace.ProjectStack). Pulumi ignores any other key, so a
// misspelt config: would leave the stack without settings and be reported
// only as a missing aws:region.
var stackFileKeys = []string{"config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"}

// shapeProblems checks the stack file's shape before the Pulumi SDK reads
// it, whose own errors name Go types ("expected project to be an object,
// was '[]interface {}'"). fatal is true when the file cannot be read as a
// stack file at all; an unknown top-level key is not fatal, so that the
// settings' own problems come in the same run.
func shapeProblems(data []byte) (problems []problem, fatal bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return []problem{{key: "the file", rule: "is not valid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}}, true
	}
	if len(doc.Content) == 0 {
		return nil, false // an empty stack file is a stack without settings
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		return []problem{{key: "the file", rule: "must be a map with the stack's settings under config:, was " + kindName(top)}}, true
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, value := top.Content[i].Value, top.Content[i+1]
		switch {
		case key == "config" && value.Kind != yaml.MappingNode && !isNull(value):
			problems = append(problems, problem{key: "config", rule: "must be a map of settings (aws:region: us-west-2, ...), was " + kindName(value)})
			fatal = true
		case !slices.Contains(stackFileKeys, key):
			rule := "is not a key of a stack file, and Pulumi ignores it"
			if s := kmsconfig.Suggest(key, stackFileKeys); s != "" {
				rule += "; did you mean " + s + ":?"
			} else {
				rule += " (a stack file's keys are " + strings.Join(stackFileKeys, ", ") + ")"
			}
			problems = append(problems, problem{key: key, rule: rule})
		}
	}
	return problems, fatal
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// kindName says what a YAML node is, in the words of the file.
func kindName(n *yaml.Node) string {
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
