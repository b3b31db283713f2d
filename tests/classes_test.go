package tests

// Structural checks of running a class: the class files in classes/, the
// lab-account stack files they list, and the GitHub Actions workflows that
// read them. Rendering each stack's plan is checked with the golden plans.
//
//	go test ./tests -run Class

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/iamarn"
	"github.com/kms-lab/kms-lab/policies"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// clsRoot is the repository root, seen from this package's directory.
const clsRoot = ".."

var (
	clsAccountRe = regexp.MustCompile(`^\d{12}$`)
	clsRegionRe  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+$`)
	// AWS's documentation account IDs: fine in an example, never in a class
	// that deploys.
	clsDocAccounts = map[string]bool{
		"111122223333": true, "444455556666": true, "777788889999": true, "123456789012": true,
	}
)

// clsClasses loads every class file of the repository.
func clsClasses(t *testing.T) []classes.Class {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(clsRoot, "classes", "*.yaml"))
	require.NoError(t, err)
	others, err := filepath.Glob(filepath.Join(clsRoot, "classes", "*.yml"))
	require.NoError(t, err)
	require.Empty(t, others, "class files end in .yaml (the workflows read classes/*.yaml)")
	require.NotEmpty(t, files, "no class files in classes/")
	var out []classes.Class
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		c, problems := classes.Parse(filepath.Base(f), data)
		require.Empty(t, problems, "class file %s", f)
		out = append(out, c)
	}
	return out
}

func TestClassFilesParse(t *testing.T) {
	require.NotEmpty(t, clsClasses(t), "the committed class files parse")
	// The workflows' matrix generator reads the same files with the same
	// rules (and the cross-file ones: stack files exist, one account per stack).
	repo, err := classes.Load(clsRoot)
	require.NoError(t, err)
	entries, err := repo.Select(classes.Request{Purpose: classes.Teardown, Class: "kms101", Confirm: "kms101"})
	require.NoError(t, err)
	var stacks []string
	for _, e := range entries {
		stacks = append(stacks, e.Stack)
		assert.Regexp(t, clsAccountRe, e.Account, e.Stack)
	}
	assert.Equal(t, []string{"kms101-acct01", "kms101-acct02", "kms101-acct03"}, stacks)
}

// The class-file rules of docs/classes.md ("The class file"), applied by the
// reader the workflows' matrix and labctl class status share.
func TestClassFileRulesRejectMistakes(t *testing.T) {
	cases := []struct {
		name, file, yaml, want string
	}{
		{"valid", "kms201.yaml", "name: kms201\nenabled: true\nendsAt: \"2026-12-04T17:00:00Z\"\nstacks: [kms201-acct01]\n", ""},
		{"unquoted time", "kms201.yaml", "name: kms201\nendsAt: 2026-12-04T17:00:00Z\nstacks: [a]\n", ""},
		{"name differs from file", "kms201.yaml", "name: kms202\nstacks: [a]\n", `name "kms202" must equal the file name "kms201"`},
		{"unknown field", "kms201.yaml", "name: kms201\nstack: [a]\n", "stack: not a field of a class file; did you mean stacks?"},
		{"no stacks", "kms201.yaml", "name: kms201\nstacks: []\n", "is empty"},
		{"duplicate stack", "kms201.yaml", "name: kms201\nstacks: [a, a]\n", "listed twice"},
		{"bad stack name", "kms201.yaml", "name: kms201\nstacks: [\"a b\"]\n", "letters, digits"},
		{"local time", "kms201.yaml", "name: kms201\nendsAt: \"2026-12-04 17:00\"\nstacks: [a]\n", "endsAt"},
		{"offset time", "kms201.yaml", "name: kms201\nendsAt: \"2026-12-04T17:00:00+01:00\"\nstacks: [a]\n", "endsAt"},
		{"upper-case name", "KMS.yaml", "name: KMS\nstacks: [a]\n", "lowercase"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, problems := classes.Parse(tc.file, []byte(tc.yaml))
			if tc.want == "" {
				assert.Empty(t, problems)
				return
			}
			require.NotEmpty(t, problems)
			assert.Contains(t, problems.Error(), tc.want)
			assert.Contains(t, problems.Error(), tc.file, "each problem names the file")
		})
	}
}

func TestClassStackNamesAreUniqueAcrossClasses(t *testing.T) {
	owner := map[string]string{}
	for _, c := range clsClasses(t) {
		for _, s := range c.Stacks {
			if prev, ok := owner[s]; ok {
				t.Errorf("stack %s is in class %s and in class %s", s, prev, c.Name)
			}
			owner[s] = c.Name
		}
	}
}

// clsStack is what a lab-account stack file must say.
type clsStack struct {
	Name, Region, Partition, Account, RoleARN, Profile string
}

// clsLoadStack loads Pulumi.<stack>.yaml the way the Pulumi CLI does and
// checks the settings that tie it to exactly one lab account.
func clsLoadStack(proj *workspace.Project, path string) (clsStack, []string) {
	name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), "Pulumi."), ".yaml")
	st := clsStack{Name: name}
	var problems []string
	bad := func(format string, args ...any) {
		problems = append(problems, filepath.Base(path)+": "+fmt.Sprintf(format, args...))
	}
	sink := diag.DefaultSink(clsDiscard{}, clsDiscard{}, diag.FormatOptions{Color: "never"})
	ps, err := workspace.LoadProjectStack(sink, proj, path)
	if err != nil {
		bad("%v", err)
		return st, problems
	}
	get := func(key string) (config.Value, bool) {
		v, ok := ps.Config[config.MustParseKey(key)]
		return v, ok
	}
	plain := func(key string) string {
		v, ok := get(key)
		if !ok {
			return ""
		}
		if v.Secure() || v.Object() {
			bad("%s must be a plain string", key)
			return ""
		}
		s, err := v.Value(config.NopDecrypter)
		if err != nil {
			bad("%s: %v", key, err)
		}
		return s
	}
	object := func(key string) (any, bool) {
		v, ok := get(key)
		if !ok {
			return nil, false
		}
		if !v.Object() {
			text, _ := v.Value(config.NopDecrypter)
			bad("%s must be a list or a map, not %q", key, text)
			return nil, false
		}
		o, err := v.ToObject()
		if err != nil {
			bad("%s: %v", key, err)
			return nil, false
		}
		return o, true
	}

	st.Region = plain("aws:region")
	switch {
	case st.Region == "":
		bad("aws:region is not set")
	case !clsRegionRe.MatchString(st.Region):
		bad("aws:region %q is not a region name", st.Region)
	}
	st.Partition = policies.PartitionOfRegion(st.Region)

	if ids, ok := object("aws:allowedAccountIds"); !ok {
		bad("aws:allowedAccountIds must list the lab account's ID (the AWS provider then refuses any other account)")
	} else if list, isList := ids.([]any); !isList || len(list) != 1 {
		bad("aws:allowedAccountIds must hold exactly one account ID, got %v", ids)
	} else if id, isString := list[0].(string); !isString || !clsAccountRe.MatchString(id) {
		bad("aws:allowedAccountIds: %v must be a quoted 12-digit account ID", list[0])
	} else {
		st.Account = id
	}

	role, hasRole := object("aws:assumeRole")
	st.Profile = plain("aws:profile")
	switch {
	case hasRole && st.Profile != "":
		bad("set aws:assumeRole or aws:profile, not both")
	case !hasRole && st.Profile == "":
		bad("set aws:assumeRole (roleArn) or aws:profile: how the lab account is reached")
	case hasRole:
		m, isMap := role.(map[string]any)
		arn, _ := m["roleArn"].(string)
		parsed, err := iamarn.Parse(arn)
		switch {
		case !isMap || arn == "":
			bad("aws:assumeRole must be a map with roleArn (pulumi-aws v6), got %v", role)
		case err != nil || parsed.Kind != iamarn.Role:
			bad("aws:assumeRole.roleArn %q is not an IAM role ARN", arn)
		default:
			st.RoleARN = arn
			if st.Account != "" && parsed.AccountID != st.Account {
				bad("aws:assumeRole.roleArn %s is in account %s, not the allowed account %s", arn, parsed.AccountID, st.Account)
			}
			if parsed.Partition != st.Partition {
				bad("aws:assumeRole.roleArn %s is in partition %s, the region %s in %s", arn, parsed.Partition, st.Region, st.Partition)
			}
		}
	}

	for _, key := range []string{"kms-lab:keyAdministrators", "kms-lab:keyUsers"} {
		v, ok := object(key)
		if !ok {
			continue
		}
		list, _ := v.([]any)
		for _, e := range list {
			arn, _ := e.(string)
			parsed, err := iamarn.Parse(arn)
			switch {
			case err != nil:
				bad("%s: %v is not an IAM user, role or root ARN", key, e)
			case st.Account != "" && parsed.AccountID != st.Account:
				bad("%s: %s is in account %s, not the stack's account %s", key, arn, parsed.AccountID, st.Account)
			case parsed.Partition != st.Partition:
				bad("%s: %s is not in the partition %s of %s", key, arn, st.Partition, st.Region)
			}
		}
	}
	return st, problems
}

type clsDiscard struct{}

func (clsDiscard) Write(p []byte) (int, error) { return len(p), nil }

func clsProject(t *testing.T) *workspace.Project {
	t.Helper()
	proj, err := workspace.LoadProject(filepath.Join(clsRoot, "Pulumi.yaml"))
	require.NoError(t, err)
	return proj
}

// TestClassStacksHaveLabAccountStackFiles: every stack a class lists has its
// Pulumi.<stack>.yaml with aws:region, one allowed account and the way in.
func TestClassStacksHaveLabAccountStackFiles(t *testing.T) {
	proj := clsProject(t)
	accounts := map[string]string{} // account -> stack, over enabled classes
	for _, c := range clsClasses(t) {
		inClass := map[string]string{}
		for _, s := range c.Stacks {
			t.Run(c.Name+"/"+s, func(t *testing.T) {
				path := filepath.Join(clsRoot, "Pulumi."+s+".yaml")
				_, err := os.Stat(path)
				require.NoError(t, err, "class %s lists stack %s, which has no stack file", c.Name, s)
				st, problems := clsLoadStack(proj, path)
				require.Empty(t, problems)
				if prev, ok := inClass[st.Account]; ok {
					t.Errorf("stacks %s and %s of class %s are both account %s: one stack per lab account", prev, s, c.Name, st.Account)
				}
				inClass[st.Account] = s
				if !c.Enabled {
					return
				}
				if clsDocAccounts[st.Account] {
					t.Errorf("class %s is enabled, but stack %s names the documentation account %s", c.Name, s, st.Account)
				}
				if prev, ok := accounts[st.Account]; ok && prev != s {
					t.Errorf("enabled classes deploy account %s twice: stacks %s and %s", st.Account, prev, s)
				}
				accounts[st.Account] = s
			})
		}
	}
}

func TestClassStackFileRulesRejectMistakes(t *testing.T) {
	proj := clsProject(t)
	good := "  aws:region: us-east-1\n  aws:allowedAccountIds: [\"210987654321\"]\n"
	cases := []struct {
		name, body, want string
	}{
		{"assume role", good + "  aws:assumeRole:\n    roleArn: arn:aws:iam::210987654321:role/kms-lab-deployer\n", ""},
		{"profile", good + "  aws:profile: lab\n", ""},
		{"no region", "  aws:allowedAccountIds: [\"210987654321\"]\n  aws:profile: lab\n", "aws:region is not set"},
		{"no account", "  aws:region: us-east-1\n  aws:profile: lab\n", "must list the lab account"},
		{"two accounts", "  aws:region: us-east-1\n  aws:allowedAccountIds: [\"210987654321\", \"210987654322\"]\n  aws:profile: lab\n", "exactly one"},
		{"unquoted account", "  aws:region: us-east-1\n  aws:allowedAccountIds: [210987654321]\n  aws:profile: lab\n", "quoted 12-digit"},
		{"no access", good, "aws:assumeRole (roleArn) or aws:profile"},
		{"both", good + "  aws:profile: lab\n  aws:assumeRole:\n    roleArn: arn:aws:iam::210987654321:role/r\n", "not both"},
		{"role as string", good + "  aws:assumeRole: arn:aws:iam::210987654321:role/r\n", "must be a list or a map"},
		{"role elsewhere", good + "  aws:assumeRole:\n    roleArn: arn:aws:iam::999988887777:role/r\n", "not the allowed account"},
		{"user in other account", good + "  aws:profile: lab\n  kms-lab:keyUsers:\n    - arn:aws:iam::999988887777:user/AWSLabsUser\n", "not the stack's account"},
		{"china role", "  aws:region: cn-north-1\n  aws:allowedAccountIds: [\"210987654321\"]\n  aws:assumeRole:\n    roleArn: arn:aws:iam::210987654321:role/r\n", "partition"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "Pulumi.case.yaml")
			require.NoError(t, os.WriteFile(path, []byte("config:\n"+tc.body), 0o644))
			_, problems := clsLoadStack(proj, path)
			if tc.want == "" {
				assert.Empty(t, problems)
				return
			}
			require.NotEmpty(t, problems)
			assert.Contains(t, strings.Join(problems, "\n"), tc.want)
		})
	}
}

// clsWorkflow is one parsed .github/workflows file.
type clsWorkflow struct {
	File string
	Doc  map[string]any
}

func clsWorkflows(t *testing.T) []clsWorkflow {
	t.Helper()
	var files []string
	for _, pattern := range []string{"*.yml", "*.yaml"} {
		m, err := filepath.Glob(filepath.Join(clsRoot, ".github", "workflows", pattern))
		require.NoError(t, err)
		files = append(files, m...)
	}
	require.NotEmpty(t, files)
	sort.Strings(files)
	var out []clsWorkflow
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var doc map[string]any
		require.NoError(t, yaml.Unmarshal(data, &doc), f)
		out = append(out, clsWorkflow{File: filepath.Base(f), Doc: doc})
	}
	return out
}

func clsMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func (w clsWorkflow) triggers() map[string]any {
	switch on := w.Doc["on"].(type) {
	case map[string]any:
		return on
	case string:
		return map[string]any{on: nil}
	case []any:
		m := map[string]any{}
		for _, e := range on {
			if s, ok := e.(string); ok {
				m[s] = nil
			}
		}
		return m
	}
	return nil
}

func (w clsWorkflow) jobs() map[string]map[string]any {
	out := map[string]map[string]any{}
	for name, j := range clsMap(w.Doc["jobs"]) {
		out[name] = clsMap(j)
	}
	return out
}

// uses lists every `uses:` of the workflow's jobs and steps.
func (w clsWorkflow) uses() []string {
	var out []string
	for _, j := range w.jobs() {
		if u, ok := j["uses"].(string); ok {
			out = append(out, u)
		}
		steps, _ := j["steps"].([]any)
		for _, s := range steps {
			if u, ok := clsMap(s)["uses"].(string); ok {
				out = append(out, u)
			}
		}
	}
	sort.Strings(out)
	return out
}

// clsStrings walks every string in a YAML document.
func clsStrings(v any, visit func(string)) {
	switch x := v.(type) {
	case string:
		visit(x)
	case map[string]any:
		for k, e := range x {
			visit(k)
			clsStrings(e, visit)
		}
	case []any:
		for _, e := range x {
			clsStrings(e, visit)
		}
	}
}

func TestClassWorkflowsExist(t *testing.T) {
	want := map[string][]string{
		"ci.yml":           {"push", "pull_request"},
		"plan-comment.yml": {"workflow_run"},
		"preview.yml":      {"pull_request"},
		"deploy.yml":       {"push", "workflow_dispatch"},
		"teardown.yml":     {"workflow_dispatch", "schedule"},
		"drift.yml":        {"schedule", "workflow_dispatch"},
		"_classes.yml":     {"workflow_call"},
		"_build.yml":       {"workflow_call"},
		"_chunk.yml":       {"workflow_call"},
		"_stack.yml":       {"workflow_call"},
		"_clean.yml":       {"workflow_call"},
		"release.yml":      {"push"},
	}
	got := map[string]clsWorkflow{}
	for _, w := range clsWorkflows(t) {
		got[w.File] = w
	}
	for file, triggers := range want {
		w, ok := got[file]
		if !assert.True(t, ok, "workflow %s is missing", file) {
			continue
		}
		for _, tr := range triggers {
			assert.Contains(t, w.triggers(), tr, "%s must run on %s", file, tr)
		}
	}
}

// TestClassWorkflowsReferenceOnlyWhatExists: class and stack names written in
// the workflows exist, the class choices list exactly the class files, local
// reusable workflows exist, and stack matrices come from the class files.
func TestClassWorkflowsReferenceOnlyWhatExists(t *testing.T) {
	classes := clsClasses(t)
	var classNames []string
	stacks := map[string]bool{}
	for _, c := range classes {
		classNames = append(classNames, c.Name)
		for _, s := range c.Stacks {
			stacks[s] = true
		}
	}
	sort.Strings(classNames)
	workflows := clsWorkflows(t)
	names := map[string]bool{}
	for _, w := range workflows {
		if n, ok := w.Doc["name"].(string); ok {
			names[n] = true
		}
	}
	stackFileRe := regexp.MustCompile(`Pulumi\.([A-Za-z0-9_][A-Za-z0-9_.-]*)\.yaml`)
	classFileRe := regexp.MustCompile(`classes/([A-Za-z0-9_][A-Za-z0-9_.-]*)\.yaml`)

	for _, w := range workflows {
		t.Run(w.File, func(t *testing.T) {
			clsStrings(w.Doc, func(s string) {
				for _, m := range stackFileRe.FindAllStringSubmatch(s, -1) {
					_, err := os.Stat(filepath.Join(clsRoot, "Pulumi."+m[1]+".yaml"))
					assert.NoError(t, err, "%s names the stack file %s", w.File, m[0])
				}
				for _, m := range classFileRe.FindAllStringSubmatch(s, -1) {
					_, err := os.Stat(filepath.Join(clsRoot, "classes", m[1]+".yaml"))
					assert.NoError(t, err, "%s names the class file %s", w.File, m[0])
				}
			})

			for _, u := range w.uses() {
				if strings.HasPrefix(u, "./") {
					_, err := os.Stat(filepath.Join(clsRoot, u))
					assert.NoError(t, err, "%s uses %s", w.File, u)
				}
			}

			if run := clsMap(w.triggers()["workflow_run"]); run != nil {
				list, _ := run["workflows"].([]any)
				assert.NotEmpty(t, list)
				for _, n := range list {
					assert.True(t, names[fmt.Sprint(n)], "%s follows workflow %q, which no workflow is named", w.File, n)
				}
			}

			inputs := clsMap(clsMap(w.triggers()["workflow_dispatch"])["inputs"])
			if class := clsMap(inputs["class"]); class != nil {
				assert.Equal(t, "choice", class["type"], "%s: the class input is a choice of the class files", w.File)
				var options []string
				for _, o := range class["options"].([]any) {
					if o != "all" {
						options = append(options, fmt.Sprint(o))
					}
				}
				sort.Strings(options)
				assert.Equal(t, classNames, options, "%s: the class choices must be exactly the files in classes/", w.File)
				if d, ok := class["default"]; ok {
					assert.Contains(t, class["options"], d, "%s: class default", w.File)
				}
			}
			if stack := clsMap(inputs["stack"]); stack != nil {
				if d, ok := stack["default"].(string); ok && d != "" {
					assert.True(t, stacks[d], "%s: the stack input's default %q is no class's stack", w.File, d)
				}
				opts, _ := stack["options"].([]any)
				for _, o := range opts {
					assert.True(t, stacks[fmt.Sprint(o)] || o == "", "%s: stack option %v is no class's stack", w.File, o)
				}
			}

			// Stacks come from the class files, in chunks: a job that calls
			// _chunk.yml takes its matrix (one entry per chunk) from a job
			// that calls _classes.yml, and its binaries from one that calls
			// _build.yml; _chunk.yml's own matrix is the chunk's stacks, each
			// a job of _stack.yml.
			jobs := w.jobs()
			for name, j := range jobs {
				switch j["uses"] {
				case "./.github/workflows/_chunk.yml":
					with := clsMap(j["with"])
					assert.Equal(t, "${{ matrix.stacks }}", with["stacks"], "%s job %s", w.File, name)
					matrix, _ := clsMap(j["strategy"])["matrix"].(string)
					byUse := map[string]string{}
					for _, n := range clsNeeds(j) {
						byUse[fmt.Sprint(jobs[n]["uses"])] = n
					}
					sel, ok := byUse["./.github/workflows/_classes.yml"]
					require.True(t, ok, "%s job %s needs the class selection", w.File, name)
					assert.Equal(t, "${{ fromJSON(needs."+sel+".outputs.matrix) }}", matrix, "%s job %s", w.File, name)
					build, ok := byUse["./.github/workflows/_build.yml"]
					require.True(t, ok, "%s job %s needs the run's build", w.File, name)
					assert.Equal(t, "${{ needs."+build+".outputs.artifact }}", with["artifact"], "%s job %s", w.File, name)
				case "./.github/workflows/_stack.yml":
					require.Equal(t, "_chunk.yml", w.File, "only _chunk.yml runs stacks, so every stack job is in a chunk of at most 256")
					with := clsMap(j["with"])
					assert.Equal(t, "${{ matrix.stack }}", with["stack"], "%s job %s", w.File, name)
					assert.Equal(t, "${{ inputs.artifact }}", with["artifact"], "%s job %s", w.File, name)
					assert.Equal(t, "${{ fromJSON(inputs.stacks) }}", clsMap(j["strategy"])["matrix"], "%s job %s", w.File, name)
				}
			}
		})
	}
}

func clsNeeds(job map[string]any) []string {
	switch n := job["needs"].(type) {
	case string:
		return []string{n}
	case []any:
		var out []string
		for _, e := range n {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return nil
}

var clsActionRe = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@]+)?@v[0-9]+$`)

func TestClassWorkflowsPinActionsToMajorVersions(t *testing.T) {
	for _, w := range clsWorkflows(t) {
		for _, u := range w.uses() {
			if strings.HasPrefix(u, "./") {
				continue
			}
			assert.Regexp(t, clsActionRe, u, "%s: actions are pinned to a major version tag (owner/repo@vN)", w.File)
		}
	}
}

// TestClassWorkflowsLeastPermissions: no write permission at the workflow
// level; OIDC tokens only for the jobs that run Pulumi against a lab account;
// secrets passed by name, never printed.
func TestClassWorkflowsLeastPermissions(t *testing.T) {
	for _, w := range clsWorkflows(t) {
		t.Run(w.File, func(t *testing.T) {
			reusable := len(w.triggers()) == 1 && clsHas(w.triggers(), "workflow_call")
			if !reusable {
				perms, ok := w.Doc["permissions"]
				require.True(t, ok, "%s sets no top-level permissions", w.File)
				switch p := perms.(type) {
				case map[string]any:
					for scope, level := range p {
						assert.NotEqual(t, "write", level, "%s grants %s: write to every job", w.File, scope)
					}
				default:
					assert.Equal(t, "read-all", p, "%s top-level permissions", w.File)
				}
			}
			for name, j := range w.jobs() {
				p := clsMap(j["permissions"])
				if p["id-token"] == "write" {
					assert.Contains(t, []any{"./.github/workflows/_stack.yml", "./.github/workflows/_chunk.yml", "./.github/workflows/_clean.yml"}, j["uses"],
						"%s job %s: only the jobs that run Pulumi or labctl class clean on a lab account get an OIDC token", w.File, name)
				}
				assert.NotEqual(t, "write-all", j["permissions"], "%s job %s", w.File, name)
				assert.NotEqual(t, "inherit", j["secrets"], "%s job %s passes every secret; name them", w.File, name)
			}
			clsStrings(w.Doc, func(s string) {
				assert.NotRegexp(t, `(?m)^\s*set -[a-z]*x`, s, "%s: set -x would print secrets", w.File)
				assert.NotContains(t, s, "--show-secrets", w.File)
			})
		})
	}
}

func clsHas(m map[string]any, key string) bool {
	_, ok := m[key]
	return ok
}

// TestClassWorkflowsOneRunPerStack: every job that runs Pulumi on a stack is in
// a concurrency group of that stack, shared by deploy and teardown and never
// cancelled halfway; previews queue per pull request.
func TestClassWorkflowsOneRunPerStack(t *testing.T) {
	var stackJobs int
	for _, w := range clsWorkflows(t) {
		for name, j := range w.jobs() {
			steps, _ := j["steps"].([]any)
			runsPulumi := false
			for _, s := range steps {
				u, _ := clsMap(s)["uses"].(string)
				if strings.HasPrefix(u, "pulumi/actions@") && clsMap(clsMap(s)["with"])["command"] != nil {
					runsPulumi = true
				}
			}
			if !runsPulumi {
				continue
			}
			stackJobs++
			c := clsMap(j["concurrency"])
			require.NotNil(t, c, "%s job %s runs pulumi without a concurrency group", w.File, name)
			group, _ := c["group"].(string)
			assert.Contains(t, group, "format('kms-lab-stack-{0}', inputs.stack)", "%s job %s: group per stack", w.File, name)
			assert.Equal(t, "${{ inputs.command == 'preview' }}", c["cancel-in-progress"],
				"%s job %s: only previews may be cancelled", w.File, name)
		}
	}
	assert.Equal(t, 1, stackJobs, "one reusable job runs pulumi on a stack")
}
