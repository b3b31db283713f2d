// Package stackconfig reads a Pulumi stack file and its project the way the
// Pulumi CLI hands the config to the program: typed values checked, defaults
// applied, in the engine's text form. labplan and labctl preflight read stacks
// through it without linking the program itself.
package stackconfig

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	kmsconfig "github.com/kms-lab/kms-lab/internal/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// Config is a stack's configuration as the Pulumi CLI would hand it to
// the program: project defaults applied, values in the engine's text form.
type Config struct {
	ProjectDir string
	Project    string
	Stack      string
	// Values maps fully qualified keys ("kms-lab:keyAlias", "aws:region") to
	// the engine's text form: strings as they are, other types as JSON.
	Values map[string]string
}

// Region is the stack's aws:region, or "" when unset.
func (c *Config) Region() string { return c.Values["aws:region"] }

// Load reads Pulumi.yaml from projectDir (when empty, from where
// FindProject finds it) and the stack file, then applies the project's typed
// config schema as the CLI does: a declared type is checked, a declared
// default fills an unset key. It also rejects keys in the project's
// namespace that Pulumi.yaml does not declare, since the program would never
// read them. All problems are reported together.
func Load(projectDir, stackFile string) (*Config, error) {
	// The stack file first: a mistyped --config is the likelier mistake.
	stack, err := StackName(stackFile)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(stackFile); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("stack config %s does not exist", stackFile)
		}
		return nil, fmt.Errorf("stack config %s: %w", stackFile, err)
	}
	projectDir, err = FindProject(projectDir, stackFile)
	if err != nil {
		return nil, err
	}
	proj, err := workspace.LoadProject(filepath.Join(projectDir, "Pulumi.yaml"))
	if err != nil {
		return nil, fmt.Errorf("load project file: %w", err)
	}
	ps, err := workspace.LoadProjectStack(diag.DefaultSink(discard{}, discard{}, diag.FormatOptions{Color: "never"}), proj, stackFile)
	if err != nil {
		return nil, fmt.Errorf("load stack config %s: %w", stackFile, err)
	}
	ns := string(proj.Name)
	out := &Config{ProjectDir: projectDir, Project: ns, Stack: stack, Values: map[string]string{}}
	var problems []string

	for key, val := range ps.Config {
		full := key.Namespace() + ":" + key.Name()
		if key.Namespace() == ns {
			if _, declared := proj.Config[key.Name()]; !declared {
				problems = append(problems, fmt.Sprintf("%s: not a setting of this project (Pulumi.yaml declares %s)", full, strings.Join(declaredKeys(proj), ", ")))
				continue
			}
		}
		if val.Secure() {
			if key.Namespace() == ns {
				problems = append(problems, fmt.Sprintf("%s: is a secret, and no kms-lab setting is secret; store it in plain text", full))
			}
			out.Values[full] = "[secret]"
			continue
		}
		text, err := engineText(val)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", full, err))
			continue
		}
		out.Values[full] = text
	}
	for _, name := range declaredKeys(proj) {
		decl := proj.Config[name]
		full := ns + ":" + name
		text, set := out.Values[full]
		if !set {
			if decl.Default == nil {
				if decl.Type != nil {
					// The CLI refuses to run with a typed key that has no value.
					problems = append(problems, fmt.Sprintf("%s: is missing: Pulumi.yaml declares it with a type and no default, so pulumi up requires a value", full))
				}
				continue
			}
			out.Values[full] = kmsconfig.EncodeDefault(decl.Default)
			continue
		}
		if decl.Type != nil {
			if err := checkType(text, ps.Config[config.MustMakeKey(ns, name)], decl); err != nil {
				problems = append(problems, fmt.Sprintf("%s = %s: %v", full, text, err))
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("stack %s: invalid configuration in %s (%d problems):\n  - %s",
			stack, filepath.Base(stackFile), len(problems), strings.Join(problems, "\n  - "))
	}
	return out, nil
}

// ProjectDirFlag is the flag that names the project directory, for messages.
const ProjectDirFlag = "--project-dir"

// FindProject returns the directory whose Pulumi.yaml belongs to stackFile.
// An explicit projectDir must hold one. Otherwise the stack file's own
// directory is tried first (a stack file next to its project, as in this
// repository), then, like `pulumi --config-file`, the current directory and
// its parents, so a stack file kept elsewhere works when run from the
// project. The error says where it looked.
func FindProject(projectDir, stackFile string) (string, error) {
	if projectDir != "" {
		if !isFile(filepath.Join(projectDir, "Pulumi.yaml")) {
			return "", fmt.Errorf("%s %s: no Pulumi.yaml in that directory; give the directory of the kms-lab project (the one holding Pulumi.yaml)", ProjectDirFlag, projectDir)
		}
		return projectDir, nil
	}
	stackDir := filepath.Dir(stackFile)
	if isFile(filepath.Join(stackDir, "Pulumi.yaml")) {
		return stackDir, nil
	}
	looked := []string{stackDir + " (the stack file's directory)"}
	cwd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("no Pulumi.yaml next to %s, and the current directory is unknown (%v): pass %s DIR", stackFile, err, ProjectDirFlag)
	}
	for dir := cwd; ; dir = filepath.Dir(dir) {
		if isFile(filepath.Join(dir, "Pulumi.yaml")) {
			// Relative to the current directory when possible, so a plan's
			// messages do not spell out where the checkout lives.
			if rel, err := filepath.Rel(cwd, dir); err == nil {
				return rel, nil
			}
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			break
		}
	}
	if abs, err := filepath.Abs(stackDir); err == nil && abs == cwd {
		looked = nil // the same place; say it once
	}
	looked = append(looked, cwd+" and its parents (the current directory)")
	return "", fmt.Errorf("no Pulumi.yaml found for %s: looked in %s; run from the project directory or pass %s DIR",
		stackFile, strings.Join(looked, " and in "), ProjectDirFlag)
}

func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// StackName takes the stack from a file named Pulumi.<stack>.yaml.
func StackName(path string) (string, error) {
	base := filepath.Base(path)
	for _, ext := range []string{".yaml", ".yml"} {
		if strings.HasPrefix(base, "Pulumi.") && strings.HasSuffix(base, ext) {
			if s := strings.TrimSuffix(strings.TrimPrefix(base, "Pulumi."), ext); s != "" {
				return s, nil
			}
		}
	}
	return "", fmt.Errorf("stack config %s: the file must be named Pulumi.<stack>.yaml", path)
}

func declaredKeys(p *workspace.Project) []string {
	keys := make([]string, 0, len(p.Config))
	for k := range p.Config {
		if !strings.Contains(k, ":") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// engineText renders a stack value the way the engine passes it to a
// program: scalars as text, lists and maps as JSON.
func engineText(v config.Value) (string, error) {
	if !v.Object() {
		return v.Value(config.NopDecrypter)
	}
	obj, err := v.ToObject()
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// checkType applies a declared Pulumi.yaml type to a stack value.
func checkType(text string, v config.Value, decl workspace.ProjectConfigType) error {
	want := *decl.Type
	switch want {
	case "string":
		if v.Object() {
			return fmt.Errorf("must be a string (Pulumi.yaml declares type string)")
		}
	case "integer":
		if _, err := strconv.Atoi(text); err != nil || v.Object() {
			return fmt.Errorf("must be an integer (Pulumi.yaml declares type integer)")
		}
	case "boolean":
		if text != "true" && text != "false" {
			return fmt.Errorf("must be true or false (Pulumi.yaml declares type boolean)")
		}
	case "array":
		var items []any
		if !v.Object() || json.Unmarshal([]byte(text), &items) != nil {
			return fmt.Errorf("must be a list (Pulumi.yaml declares type array)")
		}
		if decl.Items != nil && decl.Items.Type == "string" {
			for _, it := range items {
				if _, ok := it.(string); !ok {
					return fmt.Errorf("must be a list of strings (Pulumi.yaml declares array items of type string)")
				}
			}
		}
	case "object":
		var m map[string]any
		if !v.Object() || json.Unmarshal([]byte(text), &m) != nil {
			return fmt.Errorf("must be a map (Pulumi.yaml declares type object)")
		}
	}
	return nil
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
