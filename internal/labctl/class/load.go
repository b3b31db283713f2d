// Package class runs labctl's checks against every lab account of a class
// (classes/<class>.yaml and one Pulumi.<stack>.yaml per account),
// concurrently, and renders one row per account as a table, Markdown, JSON
// or a self-contained HTML page.
package class

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/kms-lab/kms-lab/internal/iamarn"

	"gopkg.in/yaml.v3"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// Class is a class file with its lab-account stacks.
type Class struct {
	Name   string
	File   string
	Stacks []Stack
}

// Stack is one lab account, as its stack file declares it.
type Stack struct {
	Name       string
	File       string
	Region     string
	Account    string // aws:allowedAccountIds' single entry, else the assumed role's account, else ""
	Profile    string
	AssumeRole *awsclient.AssumeRole
	// Student is the first ARN of kms-lab:keyUsers: who did the lab by hand.
	Student string
}

// classFile is classes/<class>.yaml (see docs/classes.md).
type classFile struct {
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Enabled     *bool    `yaml:"enabled"`
	StartsAt    string   `yaml:"startsAt"`
	EndsAt      string   `yaml:"endsAt"`
	Stacks      []string `yaml:"stacks"`
}

// stackFile is the part of Pulumi.<stack>.yaml that says how to reach the
// account. Values stay yaml nodes: a secret ({secure: ...}) must be
// reported, not misread.
type stackFile struct {
	Config map[string]yaml.Node `yaml:"config"`
}

var (
	accountRe = regexp.MustCompile(`^\d{12}$`)
)

// Load reads a class file and the stack files it lists, which live in
// stacksDir (the Pulumi project directory; "" means the class file's
// directory's parent, as in the repository's classes/ layout). Every
// problem is reported together, each naming the file, the setting, the
// value and the rule.
func Load(path, stacksDir string) (*Class, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("class file: %w", err)
	}
	var cf classFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cf); err != nil {
		return nil, fmt.Errorf("class file %s: %w", path, err)
	}
	if stacksDir == "" {
		stacksDir = filepath.Dir(filepath.Dir(path))
	}
	c := &Class{Name: cf.Name, File: path}
	var problems []string
	if cf.Name == "" {
		problems = append(problems, path+": name is missing")
	}
	if len(cf.Stacks) == 0 {
		problems = append(problems, path+": stacks is empty: list the class's lab-account stacks")
	}
	seen := map[string]bool{}
	for _, name := range cf.Stacks {
		if seen[name] {
			problems = append(problems, fmt.Sprintf("%s: stacks lists %q twice", path, name))
			continue
		}
		seen[name] = true
		st, ps := loadStack(stacksDir, name)
		problems = append(problems, ps...)
		c.Stacks = append(c.Stacks, st)
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	sort.Slice(c.Stacks, func(i, j int) bool { return c.Stacks[i].Name < c.Stacks[j].Name })
	return c, nil
}

func loadStack(dir, name string) (Stack, []string) {
	file := filepath.Join(dir, "Pulumi."+name+".yaml")
	st := Stack{Name: name, File: file}
	data, err := os.ReadFile(file)
	if err != nil {
		return st, []string{fmt.Sprintf("stack %s: cannot read its stack file: %v", name, err)}
	}
	var sf stackFile
	if err := yaml.Unmarshal(data, &sf); err != nil {
		return st, []string{fmt.Sprintf("%s: %v", file, err)}
	}
	var problems []string
	bad := func(key, value, rule string) {
		problems = append(problems, fmt.Sprintf("%s: %s = %q: %s", file, key, value, rule))
	}
	str := func(key string) string {
		n, ok := sf.Config[key]
		if !ok {
			return ""
		}
		if n.Kind != yaml.ScalarNode {
			bad(key, nodeText(n), "must be a plain string")
			return ""
		}
		return n.Value
	}
	st.Region = str("aws:region")
	if st.Region == "" {
		bad("aws:region", "", "required: the lab account's region")
	}
	st.Profile = str("aws:profile")

	if n, ok := sf.Config["aws:assumeRole"]; ok {
		var ar map[string]yaml.Node
		if err := n.Decode(&ar); err != nil {
			bad("aws:assumeRole", nodeText(n), "must be a map with roleArn, sessionName and optionally externalId")
		} else {
			role := &awsclient.AssumeRole{}
			for k, v := range ar {
				if v.Kind != yaml.ScalarNode {
					bad("aws:assumeRole."+k, nodeText(v), "must be a plain string (a secret cannot be read by labctl)")
					continue
				}
				switch k {
				case "roleArn":
					role.RoleARN = v.Value
				case "sessionName":
					role.SessionName = v.Value
				case "externalId":
					role.ExternalID = v.Value
				}
			}
			if p, err := iamarn.Parse(role.RoleARN); err != nil || p.Kind != iamarn.Role {
				bad("aws:assumeRole.roleArn", role.RoleARN, "must be an IAM role ARN")
			} else {
				st.Account = p.AccountID
			}
			st.AssumeRole = role
		}
	}
	if n, ok := sf.Config["aws:allowedAccountIds"]; ok {
		var ids []string
		if err := n.Decode(&ids); err != nil || len(ids) != 1 || !accountRe.MatchString(ids[0]) {
			bad("aws:allowedAccountIds", nodeText(n), "must list exactly the lab account's 12-digit ID")
		} else {
			if st.Account != "" && st.Account != ids[0] {
				bad("aws:assumeRole.roleArn", st.AssumeRole.RoleARN, "must be a role in the allowed account "+ids[0])
			}
			st.Account = ids[0]
		}
	}
	if n, ok := sf.Config["kms-lab:keyUsers"]; ok {
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

func nodeText(n yaml.Node) string {
	out, err := yaml.Marshal(&n)
	if err != nil {
		return n.Value
	}
	return strings.TrimSpace(string(out))
}
