package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/kms-lab/kms-lab/internal/awsmock"
	"github.com/kms-lab/kms-lab/internal/labstack"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
	"github.com/kms-lab/kms-lab/policies"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Options set what the simulated AWS data sources answer.
type Options struct {
	AccountID string // default awsmock.ExampleAccountID
	Region    string // default the stack's aws:region
	Partition string // default aws
	CallerARN string // default an IAM user in the account
	RolePath  string // IAM path of an assumed role, if CallerARN is a session
}

// Masked stands in for secret values and values only known after deployment.
const (
	Masked  = "[secret]"
	Unknown = "[unknown]"
)

// RenderFile loads a Pulumi.<stack>.yaml, with the Pulumi.yaml in
// projectDir or, when that is empty, beside or above the stack file, and
// renders its plan. labplan and the fixtures that follow the program both
// start from a stack file. Its errors are stackconfig's and Render's,
// unwrapped: they already name the stack and its file, as a user reads them.
func RenderFile(projectDir, stackFile string, opts Options) (*Plan, error) {
	sc, err := stackconfig.Load(projectDir, stackFile)
	if err != nil {
		return nil, err
	}
	return Render(sc, opts)
}

// Render runs the program on the mock engine and returns its plan.
func Render(sc *stackconfig.Config, opts Options) (*Plan, error) {
	env := awsmock.Env{
		AccountID: opts.AccountID,
		Region:    opts.Region,
		Partition: opts.Partition,
		CallerARN: opts.CallerARN,
		RolePath:  opts.RolePath,
	}
	stackAccount, stackCaller, stackRolePath := targetFromStack(sc)
	if env.AccountID == "" {
		env.AccountID = stackAccount
	}
	if env.AccountID == "" {
		env.AccountID = awsmock.ExampleAccountID
	}
	if env.Region == "" {
		env.Region = sc.Region()
	}
	if env.Region == "" {
		return nil, fmt.Errorf("stack %s: aws:region is not set in its config and --region was not given", sc.Stack)
	}
	if env.Partition == "" {
		// The partition of the region planned for, which may be another
		// than the stack's own when --region says so.
		env.Partition = policies.PartitionOfRegion(env.Region)
	}
	if env.CallerARN == "" && stackCaller != "" && strings.HasPrefix(stackCaller, "arn:"+env.Partition+":") {
		env.CallerARN, env.RolePath = stackCaller, stackRolePath
	}
	if err := env.Validate(); err != nil {
		return nil, err
	}
	root, err := filepath.Abs(sc.ProjectDir)
	if err != nil {
		return nil, fmt.Errorf("project directory: %w", err)
	}
	run, err := RunProgram(sc.Project, sc.Stack, sc.Values, root, env)
	if err != nil {
		return nil, err
	}
	p := &Plan{Stack: sc.Stack, Project: sc.Project, Resources: []Resource{}}
	for _, reg := range run.Registrations {
		p.Resources = append(p.Resources, Resource{
			URN:       reg.URN,
			Type:      reg.Type,
			Name:      reg.Name,
			Parent:    reg.Parent,
			DependsOn: Dependencies(reg),
			Inputs:    plainMap(reg.Inputs, root),
		})
	}
	p.Outputs = run.Outputs
	return p, nil
}

// Run is one run of the program on the mock engine.
type Run struct {
	// Registrations are every resource registered, sorted by URN.
	Registrations []awsmock.Registration
	// Outputs are the stack outputs as the program exported them.
	Outputs map[string]any
	// Calls are the data-source call tokens, in call order.
	Calls []string
}

// RunProgram runs the real program (labstack.Build) on the mock engine with
// the given engine-form config values and project directory, the way
// `pulumi up` runs main.go. A failed run still returns what was registered
// before the failure, with the error.
func RunProgram(project, stack string, values map[string]string, root string, env awsmock.Env) (*Run, error) {
	rec := awsmock.NewRecorder(project, stack)
	mocks := &awsmock.Mocks{Env: env, Recorder: rec}
	var (
		mu      sync.Mutex
		outputs map[string]any
	)
	program := func(ctx *pulumi.Context) error {
		lab, err := labstack.Build(ctx)
		if err != nil {
			return err
		}
		pulumi.Map(lab.Outputs).ToMapOutput().ApplyT(func(m map[string]any) map[string]any {
			mu.Lock()
			defer mu.Unlock()
			outputs = m
			return m
		})
		return nil
	}
	err := pulumi.RunErr(program,
		pulumi.WithMocks(project, stack, mocks),
		func(ri *pulumi.RunInfo) {
			ri.Config = values
			ri.RootDirectory = root
		})
	run := &Run{Registrations: rec.Registrations(), Calls: rec.Calls(), Outputs: map[string]any{}}
	mu.Lock()
	defer mu.Unlock()
	for k, v := range outputs {
		run.Outputs[k] = v
	}
	if err != nil {
		return run, unwrapRunErr(err)
	}
	return run, nil
}

// unwrapRunErr removes the one-element error list pulumi.RunErr wraps a
// program's error in, so the config problems print as the program wrote them.
func unwrapRunErr(err error) error {
	if list, ok := err.(interface{ WrappedErrors() []error }); ok && len(list.WrappedErrors()) == 1 {
		return list.WrappedErrors()[0]
	}
	return err
}

// targetFromStack reads what the stack's provider config already says about
// the target: a single aws:allowedAccountIds entry is the account, and an
// aws:assumeRole role is who deploys (as a session of that role).
func targetFromStack(sc *stackconfig.Config) (account, callerARN, rolePath string) {
	var ids []string
	if json.Unmarshal([]byte(sc.Values["aws:allowedAccountIds"]), &ids) == nil && len(ids) == 1 {
		account = ids[0]
	}
	var role struct {
		RoleARN     string `json:"roleArn"`
		SessionName string `json:"sessionName"`
	}
	if json.Unmarshal([]byte(sc.Values["aws:assumeRole"]), &role) != nil || role.RoleARN == "" {
		return account, "", ""
	}
	a, err := arn.Parse(role.RoleARN)
	if err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "role/") {
		return account, "", ""
	}
	// role/[PATH/]NAME: the session ARN names only the role; the path is
	// what IAM's session context adds back.
	pathAndName := strings.TrimPrefix(a.Resource, "role")
	cut := strings.LastIndex(pathAndName, "/")
	path, name := pathAndName[:cut+1], pathAndName[cut+1:]
	session := role.SessionName
	if session == "" {
		session = "labplan"
	}
	caller := arn.ARN{Partition: a.Partition, Service: "sts", AccountID: a.AccountID, Resource: "assumed-role/" + name + "/" + session}
	return account, caller.String(), path
}

// Dependencies are a registration's explicit and input-derived edges,
// sorted, without its parent (a plan shows a parent as such): the
// resources the engine creates before it.
func Dependencies(reg awsmock.Registration) []string {
	set := map[string]bool{}
	for _, d := range reg.DependsOn {
		set[d] = true
	}
	for _, deps := range reg.PropertyDependencies {
		for _, d := range deps {
			set[d] = true
		}
	}
	delete(set, reg.Parent)
	// Never nil: a plan's JSON lists no dependencies as [], not null.
	return append([]string{}, slices.Sorted(maps.Keys(set))...)
}

// plainMap turns engine property values into plain JSON values: secrets
// masked, unknowns marked, assets named by project-relative path and content
// hash, and JSON policy documents decoded so a diff shows their statements.
func plainMap(m resource.PropertyMap, root string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if strings.HasPrefix(string(k), "__") {
			continue // engine bookkeeping such as __defaults
		}
		pv := plainValue(v, root)
		if s, ok := pv.(string); ok && isPolicyKey(string(k)) {
			var doc map[string]any
			if json.Unmarshal([]byte(s), &doc) == nil {
				pv = doc
			}
		}
		out[string(k)] = pv
	}
	return out
}

func isPolicyKey(k string) bool { return k == "policy" }

func plainValue(v resource.PropertyValue, root string) any {
	switch {
	case v.IsSecret():
		return Masked
	case v.IsComputed(), v.IsOutput() && !v.OutputValue().Known:
		return Unknown
	case v.IsOutput():
		if v.OutputValue().Secret {
			return Masked
		}
		return plainValue(v.OutputValue().Element, root)
	case v.IsNull():
		return nil
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := []any{}
		for _, e := range v.ArrayValue() {
			arr = append(arr, plainValue(e, root))
		}
		return arr
	case v.IsObject():
		return plainMap(v.ObjectValue(), root)
	case v.IsAsset():
		return assetValue(v.AssetValue(), root)
	case v.IsResourceReference():
		return v.ResourceReferenceValue().URN
	}
	return fmt.Sprintf("[%s]", v.TypeString())
}

// assetValue names a file asset by its path relative to the project, so a
// plan does not depend on where the checkout lives, and by content hash, so
// a changed image shows in a diff.
func assetValue(a *resource.Asset, root string) map[string]any {
	out := map[string]any{}
	if a.Path != "" {
		p, file := a.Path, a.Path
		if filepath.IsAbs(p) {
			if rel, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(rel, "..") {
				p = rel
			}
		} else {
			file = filepath.Join(root, p) // the CLI runs the program in the project directory
		}
		out["path"] = filepath.ToSlash(p)
		if b, err := os.ReadFile(file); err == nil {
			sum := sha256.Sum256(b)
			out["sha256"] = hex.EncodeToString(sum[:])
		}
	}
	if a.Text != "" {
		sum := sha256.Sum256([]byte(a.Text))
		out["sha256"] = hex.EncodeToString(sum[:])
	}
	return map[string]any{"asset": out}
}
