package classes

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/iamarn"
	"github.com/kms-lab/kms-lab/internal/stackfile"
	"github.com/kms-lab/kms-lab/internal/valuetext"
)

var accountRe = regexp.MustCompile(`^\d{12}$`)

// Stack is one lab account as its Pulumi.<stack>.yaml declares it: the
// account and region the matrix shows (so a job that never reports still has
// a table row), and how labctl reaches the account and whom it grades.
type Stack struct {
	Name string
	// File is the stack file's path as problems name it.
	File string
	// Account is the single aws:allowedAccountIds entry; "" when that
	// setting breaks its rule, so the cross-file rules skip the stack.
	Account string
	Region  string
	Profile string
	// AssumeRole is aws:assumeRole; nil when the file has none.
	AssumeRole *AssumeRole
	// Student is the first IAM user or role ARN of kms-lab:keyUsers: who
	// did the lab by hand.
	Student string
}

// AssumeRole is what aws:assumeRole says about reaching the account, read
// by the one parser labctl uses too; labctl maps it to its client options.
type AssumeRole = iamarn.AssumeRole

// stackFile is the stack file's name, relative to the Pulumi project
// directory (the repository root).
func stackFile(stack string) string { return "Pulumi." + stack + ".yaml" }

// LoadStacks reads the stack files c lists from dir, the Pulumi project
// directory, in the class file's order. Names Parse refuses, and repeats,
// are skipped: Parse already reports them, and a refused name must not
// become a path.
func (c Class) LoadStacks(dir string) ([]Stack, Problems) {
	fsys := os.DirFS(dir)
	var stacks []Stack
	var problems Problems
	seen := map[string]bool{}
	for _, s := range c.Stacks {
		if seen[s] || !stackRe.MatchString(s) {
			continue
		}
		seen[s] = true
		st, ps := c.readStack(fsys, filepath.Join(dir, stackFile(s)), s)
		stacks = append(stacks, st)
		problems = append(problems, ps...)
	}
	return stacks, problems
}

// readStack reads stack name's file, stackFile(name) in fsys; file is how
// problems name it. A missing file is the class file's problem: the class
// lists a stack that does not exist.
func (c Class) readStack(fsys fs.FS, file, name string) (Stack, Problems) {
	data, err := fs.ReadFile(fsys, stackFile(name))
	if errors.Is(err, fs.ErrNotExist) {
		return Stack{Name: name, File: file}, Problems{{File: c.File, Rule: fmt.Sprintf(
			"stack %q has no stack file %s: every stack listed needs its Pulumi.<stack>.yaml", name, file)}}
	}
	if err != nil {
		return Stack{Name: name, File: file}, Problems{{File: file, Rule: fmt.Sprintf("cannot read it: %v", err)}}
	}
	return parseStack(file, name, data)
}

// stackConfig is the part of a stack file read here. Values stay YAML
// nodes: a secret ({secure: ...}) must be reported, not misread as text.
type stackConfig struct {
	Config map[string]yaml.Node
}

// parseStack reads the settings that tie stack name's file to one lab
// account and say how to reach it, and checks their rules. Other settings
// are the config loader's (internal/config) to check.
func parseStack(file, name string, data []byte) (Stack, Problems) {
	st := Stack{Name: name, File: file}
	var problems Problems
	cfg, shape, fatal := stackfile.Shape(data)
	for _, p := range shape {
		problems = append(problems, Problem{File: file, Rule: p.Key + ": " + p.Rule})
	}
	if fatal {
		return st, problems
	}
	sc := stackConfig{Config: map[string]yaml.Node{}}
	if cfg != nil {
		for i := 0; i+1 < len(cfg.Content); i += 2 {
			sc.Config[cfg.Content[i].Value] = *cfg.Content[i+1]
		}
	}
	bad := func(key, value, rule string) {
		problems = append(problems, Problem{File: file, Rule: fmt.Sprintf("%s = %s: %s", key, valuetext.Quote(value), rule)})
	}
	plain := func(key string, n *yaml.Node) string {
		switch {
		case n.Kind == yaml.ScalarNode:
			return n.Value
		case isSecret(n):
			// labctl and the workflows' matrix read stack files without
			// the stack's passphrase, so they could only misread it.
			bad(key, nodeText(n), "must be a plain string, not a secret: stack files are read here without the stack's passphrase")
		default:
			bad(key, nodeText(n), "must be a plain string")
		}
		return ""
	}
	setting := func(key string) string {
		if n, ok := sc.Config[key]; ok {
			return plain(key, &n)
		}
		return ""
	}

	st.Region = setting("aws:region")
	if n, ok := sc.Config["aws:region"]; !ok || n.Kind == yaml.ScalarNode && n.Value == "" {
		// A region that is not a plain string is reported as that.
		bad("aws:region", "", "required: the lab account's region")
	}
	if _, known := config.RegionPartition(st.Region); st.Region != "" && !known {
		bad("aws:region", st.Region, config.RegionRule)
	}
	st.Profile = setting("aws:profile")
	if _, role := sc.Config["aws:assumeRole"]; role && st.Profile != "" {
		problems = append(problems, Problem{File: file, Rule: "aws:profile " + stackfile.ProfileWithRole})
	}

	// Quoted: an unquoted ID is a YAML number, which loses leading zeros.
	const accountRule = "must list exactly one quoted 12-digit account ID, the lab account's, so that the AWS provider refuses any other account"
	if n, ok := sc.Config["aws:allowedAccountIds"]; !ok {
		bad("aws:allowedAccountIds", "", "required: "+accountRule)
	} else if n.Kind != yaml.SequenceNode || len(n.Content) != 1 || n.Content[0].Kind != yaml.ScalarNode ||
		n.Content[0].ShortTag() != "!!str" || !accountRe.MatchString(n.Content[0].Value) {
		bad("aws:allowedAccountIds", nodeText(&n), accountRule)
	} else {
		st.Account = n.Content[0].Value
	}

	if n, ok := sc.Config["aws:assumeRole"]; ok {
		st.AssumeRole = parseAssumeRole(&n, st.Account, bad, plain)
	}

	if n, ok := sc.Config["kms-lab:keyUsers"]; ok {
		// Which entries are valid principals is the config loader's rule;
		// here only the first user or role is wanted.
		var users []string
		if err := n.Decode(&users); err == nil {
			for _, u := range users {
				if iamarn.IsUserOrRole(u) {
					st.Student = u
					break
				}
			}
		}
	}
	return st, problems
}

// parseAssumeRole reads aws:assumeRole's fields as plain strings and applies
// iamarn's rules, the ones labctl applies too; account is the allowed one,
// "" when unknown.
func parseAssumeRole(n *yaml.Node, account string, bad func(key, value, rule string), plain func(string, *yaml.Node) string) *AssumeRole {
	if n.Kind != yaml.MappingNode || isSecret(n) {
		bad("aws:assumeRole", nodeText(n), iamarn.AssumeRoleShape)
		return nil
	}
	// Content alternates keys and values, in the file's order, so the
	// problems come in that order too.
	var fields []iamarn.Field
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i].Value
		fields = append(fields, iamarn.Field{Key: key, Value: plain("aws:assumeRole."+key, n.Content[i+1])})
	}
	var allowed []string
	if account != "" {
		allowed = []string{account}
	}
	role, problems := iamarn.ParseAssumeRole(fields, allowed)
	for _, p := range problems {
		bad(p.Key, p.Value, p.Rule)
	}
	return role
}

// isSecret reports whether n is a Pulumi secret, {secure: <ciphertext>}.
func isSecret(n *yaml.Node) bool {
	return n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "secure"
}

// nodeText is a setting's value as the file writes it, for problems.
func nodeText(n *yaml.Node) string {
	out, err := yaml.Marshal(n)
	if err != nil {
		return n.Value
	}
	return strings.TrimSpace(string(out))
}
