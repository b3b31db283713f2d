// Package stackconfig reads a Pulumi stack file and its project the way the
// Pulumi CLI hands the config to the program: typed values checked, defaults
// applied, in the engine's text form. labplan and labctl preflight read stacks
// through it without linking the program itself.
package stackconfig

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	kmsconfig "github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/stackfile"
	"github.com/kms-lab/kms-lab/policies"
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

// secretText stands for a secret value, which is read without the stack's
// passphrase.
const secretText = "[secret]"

// Region is the stack's aws:region, or "" when unset.
func (c *Config) Region() string { return c.Values["aws:region"] }

// Load reads the stack file and its project like Read, then applies every
// value rule of the config package, so that one run reports every problem
// of a stack file: a misspelt key and a principal the key policy cannot name
// come out together. The account is not known here: "deployer" is taken to
// be a valid principal, and principals are held to the partition of the
// stack's aws:region when it sets one. The program and labctl preflight
// check those two against the real account later.
func Load(projectDir, stackFile string) (*Config, error) {
	out, problems, err := read(projectDir, stackFile)
	if err != nil {
		return nil, err
	}
	problems = append(problems, valueProblems(out, problems)...)
	if len(problems) > 0 {
		return nil, newError(out.Stack, stackFile, problems)
	}
	return out, nil
}

// Read reads Pulumi.yaml from projectDir (when empty, from where
// findProject finds it) and the stack file, then applies the project's typed
// config schema as the CLI does: a declared type is checked, a declared
// default fills an unset key. It also rejects keys in the project's
// namespace that Pulumi.yaml does not declare, since the program would never
// read them, keys the AWS provider does not know, and keys whose namespace
// is a misspelling of either. All problems are reported together. Read
// leaves the value rules to Load, for a caller that must fetch the image
// before they can run.
func Read(projectDir, stackFile string) (*Config, error) {
	out, problems, err := read(projectDir, stackFile)
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		return nil, newError(out.Stack, stackFile, problems)
	}
	return out, nil
}

// read returns the stack's values with the problems found in them; err is
// for a stack or project that could not be read at all.
func read(projectDir, stackFile string) (*Config, []problem, error) {
	// The stack file first: a mistyped --config is the likelier mistake.
	stack, err := StackName(stackFile)
	if err != nil {
		return nil, nil, err
	}
	if _, err := os.Stat(stackFile); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("stack config %s does not exist", stackFile)
		}
		return nil, nil, fmt.Errorf("stack config %s: %w", stackFile, err)
	}
	data, err := os.ReadFile(stackFile)
	if err != nil {
		return nil, nil, fmt.Errorf("stack config %s: %w", stackFile, err)
	}
	var problems []problem
	_, shape, fatal := stackfile.Shape(data)
	for _, p := range shape {
		problems = append(problems, problem{key: p.Key, rule: p.Rule})
	}
	if fatal {
		return nil, nil, newError(stack, stackFile, problems)
	}
	projectDir, err = findProject(projectDir, stackFile)
	if err != nil {
		return nil, nil, err
	}
	proj, err := workspace.LoadProject(filepath.Join(projectDir, "Pulumi.yaml"))
	if err != nil {
		return nil, nil, fmt.Errorf("load project file: %w", err)
	}
	ps, err := workspace.LoadProjectStack(diag.DefaultSink(discard{}, discard{}, diag.FormatOptions{Color: "never"}), proj, stackFile)
	if err != nil {
		return nil, nil, fmt.Errorf("load stack config %s: %w", stackFile, err)
	}
	ns := string(proj.Name)
	out := &Config{ProjectDir: projectDir, Project: ns, Stack: stack, Values: map[string]string{}}
	declared := declaredKeys(proj)
	object := map[string]bool{}

	for key, val := range ps.Config {
		full := key.Namespace() + ":" + key.Name()
		if rule := keyRule(ns, declared, key.Namespace(), key.Name()); rule != "" {
			problems = append(problems, problem{key: full, rule: rule})
			continue
		}
		if val.Secure() {
			if key.Namespace() == ns {
				problems = append(problems, problem{key: full, rule: "is a secret, and no kms-lab setting is secret; store it in plain text"})
			}
			out.Values[full] = secretText
			continue
		}
		object[full] = val.Object()
		text, err := engineText(val)
		if err != nil {
			problems = append(problems, problem{key: full, rule: err.Error()})
			continue
		}
		out.Values[full] = text
	}
	problems = append(problems, providerProblems(out.Values, object)...)
	for _, name := range declared {
		decl := proj.Config[name]
		full := ns + ":" + name
		text, set := out.Values[full]
		if !set {
			if decl.Default == nil {
				if decl.Type != nil {
					// The CLI refuses to run with a typed key that has no value.
					problems = append(problems, problem{key: full, rule: "is missing: Pulumi.yaml declares it with a type and no default, so pulumi up requires a value"})
				}
				continue
			}
			out.Values[full] = kmsconfig.EncodeDefault(decl.Default)
			continue
		}
		if decl.Type != nil {
			if err := checkType(text, ps.Config[config.MustMakeKey(ns, name)], decl); err != nil {
				problems = append(problems, problem{key: full, value: text, hasValue: true, rule: err.Error()})
			}
		}
	}
	return out, problems, nil
}

// keyRule says why a stack key is never read, naming the key it most likely
// stands for, or returns "" for a key that is read. Keys of other
// namespaces are left alone: Pulumi's own (pulumi:tags) and keys kept for
// other tools are not mistakes.
func keyRule(project string, declared []string, namespace, name string) string {
	switch namespace {
	case project:
		if slices.Contains(declared, name) {
			return ""
		}
		rule := "not a setting of this project"
		if s := kmsconfig.Suggest(name, declared); s != "" {
			return rule + "; did you mean " + project + ":" + s + "?"
		}
		return rule + " (Pulumi.yaml declares " + strings.Join(declared, ", ") + ")"
	case kmsconfig.ProviderNamespace:
		known := kmsconfig.ProviderKeys()
		if slices.Contains(known, name) {
			return ""
		}
		rule := "not a setting of the AWS provider, which refuses it at pulumi up"
		if s := kmsconfig.Suggest(name, known); s != "" {
			return rule + "; did you mean " + kmsconfig.ProviderNamespace + ":" + s + "?"
		}
		return rule + " (see the provider's configuration reference)"
	}
	for _, want := range []struct {
		namespace string
		keys      []string
	}{{project, declared}, {kmsconfig.ProviderNamespace, kmsconfig.ProviderKeys()}} {
		if kmsconfig.Suggest(namespace, []string{want.namespace}) == "" {
			continue
		}
		rule := "namespace " + namespace + " is read by nothing here"
		if s := kmsconfig.Suggest(name, want.keys); s != "" {
			return rule + "; did you mean " + want.namespace + ":" + s + "?"
		}
		return rule + "; did you mean the " + want.namespace + ": namespace?"
	}
	return ""
}

// valueProblems applies the config package's value rules to the keys read
// without a problem; a key that already has one keeps its default here, so
// it is reported once.
func valueProblems(c *Config, read []problem) []problem {
	skip := map[string]bool{}
	for _, p := range read {
		skip[p.key] = true
	}
	lookup := func(key string) (string, bool) {
		v, ok := c.Values[key]
		if !ok || skip[key] || v == secretText {
			return "", false
		}
		return v, true
	}
	partition := ""
	if region := c.Region(); region != "" {
		partition = policies.PartitionOfRegion(region)
	}
	// Any IAM ARN will do for the deployer: the principal rules cannot see
	// which it will be until the program or preflight asks AWS.
	standIn := "arn:" + cmp.Or(partition, "aws") + ":iam::111122223333:root"
	_, err := kmsconfig.Load(lookup, c.ProjectDir, kmsconfig.Target{Partition: partition, Deployer: standIn})
	var cerr *kmsconfig.Errors
	if !errors.As(err, &cerr) {
		return nil
	}
	out := make([]problem, 0, len(cerr.Problems))
	for _, p := range cerr.Problems {
		out = append(out, problem{key: c.Project + ":" + p.Key, line: p.String()})
	}
	return out
}

// projectDirFlag is the flag that names the project directory, for messages.
const projectDirFlag = "--project-dir"

// findProject returns the directory whose Pulumi.yaml belongs to stackFile.
// An explicit projectDir must hold one. Otherwise the stack file's own
// directory is tried first (a stack file next to its project, as in this
// repository), then, like `pulumi --config-file`, the current directory and
// its parents, so a stack file kept elsewhere works when run from the
// project. The error says where it looked.
func findProject(projectDir, stackFile string) (string, error) {
	if projectDir != "" {
		if !isFile(filepath.Join(projectDir, "Pulumi.yaml")) {
			return "", fmt.Errorf("%s %s: no Pulumi.yaml in that directory; give the directory of the kms-lab project (the one holding Pulumi.yaml)", projectDirFlag, projectDir)
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
		return "", fmt.Errorf("no Pulumi.yaml next to %s, and the current directory is unknown (%v): pass %s DIR", stackFile, err, projectDirFlag)
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
		stackFile, strings.Join(looked, " and in "), projectDirFlag)
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
