package tests

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/awsmock"
	"github.com/kms-lab/kms-lab/internal/iamarn"
	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
	"github.com/kms-lab/kms-lab/policies"
)

// The deployer policy must let the role that runs pulumi up, preview
// --refresh and destroy make every call the AWS provider makes for what the
// program registers and invokes, on the resources the program names, and
// nothing on resources of other names. These tests run the real program on
// the mocks for every committed stack, print the stack's policy with the
// real labplan binary and evaluate it with a small IAM matcher.

// dpPolicy is a decoded identity policy.
type dpPolicy struct {
	Statement []struct {
		Sid       string
		Effect    string
		Action    any
		Resource  any
		Condition map[string]map[string]any
	}
}

// allows reports whether an Allow statement grants action on resource in the
// request context ctx. It implements what these policies use: * and ? in
// actions (case-insensitive) and resources, and the StringEquals,
// StringLike and Bool operators, under which a key missing from ctx never
// matches (IAM User Guide, "IAM JSON policy elements: Condition operators").
func (p dpPolicy) allows(t *testing.T, action, resource string, ctx map[string]any) bool {
	t.Helper()
	for _, s := range p.Statement {
		if s.Effect != "Allow" ||
			!slices.ContainsFunc(dpList(s.Action), func(a string) bool { return dpGlob(strings.ToLower(a), strings.ToLower(action)) }) ||
			!slices.ContainsFunc(dpList(s.Resource), func(r string) bool { return dpGlob(r, resource) }) {
			continue
		}
		if dpConditionsHold(t, s.Condition, ctx) {
			return true
		}
	}
	return false
}

func dpConditionsHold(t *testing.T, cond map[string]map[string]any, ctx map[string]any) bool {
	for op, keys := range cond {
		for key, want := range keys {
			got, ok := ctx[key]
			if !ok {
				return false
			}
			var values []any
			if list, isList := want.([]any); isList {
				values = list
			} else {
				values = []any{want}
			}
			match := slices.ContainsFunc(values, func(v any) bool {
				switch op {
				case "StringEquals":
					return v == got
				case "StringLike":
					s, _ := got.(string)
					return dpGlob(v.(string), s)
				case "Bool":
					return v == got
				}
				t.Fatalf("condition operator %s is not implemented by this test", op)
				return false
			})
			if !match {
				return false
			}
		}
	}
	return true
}

func dpList(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			out = append(out, e.(string))
		}
		return out
	}
	return nil
}

// dpGlob matches IAM's wildcards: * any run of characters (slashes too), ?
// one character.
func dpGlob(pattern, s string) bool {
	re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(pattern)) + "$"
	return regexp.MustCompile(re).MatchString(s)
}

// dpStack is what one committed stack deploys: its plan, the data sources
// the program called, and the policy labplan prints for it.
type dpStack struct {
	name   string
	plan   *plan.Plan
	calls  []string
	policy dpPolicy
	role   string // the deploying role, when the stack assumes one
}

func dpLoadStacks(t *testing.T) []dpStack {
	t.Helper()
	var out []dpStack
	for _, f := range stackFiles(t) {
		s := dpStack{name: strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml")}
		var err error
		s.plan, err = plan.RenderFile("", f, plan.Options{})
		require.NoError(t, err, s.name)
		sc, err := stackconfig.Load("", f)
		require.NoError(t, err)
		var role struct {
			RoleARN string `json:"roleArn"`
		}
		_ = json.Unmarshal([]byte(sc.Values["aws:assumeRole"]), &role)
		s.role = role.RoleARN
		s.calls = dpCalls(t, sc, s.plan, s.role)

		// The account labplan uses by default for a plan; deployer-policy
		// wants it said when the stack does not.
		res := runLabplan(t, projectDir, "deployer-policy", "--config", filepath.Base(f),
			"--account", s.output(t, "accountId"))
		require.Equal(t, 0, res.code, "labplan deployer-policy %s: %s", s.name, res.stderr)
		require.NoError(t, json.Unmarshal([]byte(res.stdout), &s.policy), res.stdout)
		out = append(out, s)
	}
	return out
}

// dpCalls runs the program for the stack on the mocks, as the deploying
// role's session when the stack assumes a role, and returns the data-source
// tokens it called.
func dpCalls(t *testing.T, sc *stackconfig.Config, p *plan.Plan, role string) []string {
	t.Helper()
	env := awsmock.Env{
		AccountID: fmt.Sprint(p.Outputs["accountId"]),
		Region:    fmt.Sprint(p.Outputs["region"]),
		Partition: fmt.Sprint(p.Outputs["partition"]),
	}
	if role != "" {
		r, err := iamarn.Parse(role)
		require.NoError(t, err)
		// The session ARN of the role (IAM User Guide, "IAM identifiers":
		// arn:aws:sts::ACCOUNT:assumed-role/ROLE-NAME/SESSION).
		env.CallerARN = "arn:" + r.Partition + ":sts::" + r.AccountID + ":assumed-role/" + r.Name + "/deploy"
		env.RolePath = r.Path
	}
	root, err := filepath.Abs(projectDir)
	require.NoError(t, err)
	run, err := plan.RunProgram(sc.Project, sc.Stack, sc.Values, root, env)
	require.NoError(t, err)
	return run.Calls
}

func (s dpStack) output(t *testing.T, name string) string {
	t.Helper()
	v, ok := s.plan.Outputs[name].(string)
	require.True(t, ok, "stack %s has no string output %s", s.name, name)
	return v
}

func (s dpStack) input(t *testing.T, typ, name string) any {
	t.Helper()
	for _, r := range s.plan.Resources {
		if r.Type == typ {
			return r.Inputs[name]
		}
	}
	t.Fatalf("stack %s registers no %s", s.name, typ)
	return nil
}

// targets are the ARNs a scope's actions act on in this stack, from its plan,
// and the request context IAM evaluates them in.
func (s dpStack) targets(t *testing.T, scope policies.Scope) ([]string, map[string]any) {
	partition, region, account := s.output(t, "partition"), s.output(t, "region"), s.output(t, "accountId")
	keyARN := s.output(t, "keyArn")
	bucket := "arn:" + partition + ":s3:::" + s.output(t, "bucketName")
	switch scope {
	case policies.ScopeNewKey:
		// The request CreateKey makes, from the key's inputs (an absent
		// multiRegion is false, an absent origin AWS_KMS).
		multi, _ := s.input(t, policies.TypeKey, "multiRegion").(bool)
		return []string{"*"}, map[string]any{
			"kms:KeySpec":     s.input(t, policies.TypeKey, "customerMasterKeySpec"),
			"kms:KeyUsage":    s.input(t, policies.TypeKey, "keyUsage"),
			"kms:KeyOrigin":   "AWS_KMS",
			"kms:MultiRegion": multi,
		}
	case policies.ScopeKeyTagging:
		return []string{"*", keyARN}, nil
	case policies.ScopeKeys:
		return []string{keyARN}, nil
	case policies.ScopeAlias:
		alias := fmt.Sprint(s.input(t, policies.TypeAlias, "name"))
		return []string{"arn:" + partition + ":kms:" + region + ":" + account + ":" + alias, keyARN}, nil
	case policies.ScopeKeyViaS3:
		return []string{keyARN}, map[string]any{"kms:ViaService": "s3." + region + ".amazonaws.com"}
	case policies.ScopeBucket:
		return []string{bucket}, nil
	case policies.ScopeObjects:
		return []string{bucket + "/" + s.output(t, "objectKey")}, nil
	case policies.ScopeTrail:
		return []string{s.output(t, "trailArn")}, nil
	case policies.ScopeDeployerRole:
		role := s.role
		if role == "" { // any role a developer deploys the dev stack with
			role = "arn:" + partition + ":iam::" + account + ":role/kms-lab-deployer"
		}
		return []string{role}, nil
	}
	return []string{"*"}, nil
}

func TestDeployerPolicyNamesEveryTypeTheProgramRegisters(t *testing.T) {
	table := policies.DeployerActions()
	for _, s := range dpLoadStacks(t) {
		t.Run(s.name, func(t *testing.T) {
			var missing []string
			var used []string
			for _, r := range s.plan.Resources {
				if strings.HasPrefix(r.Type, "kms-lab:") {
					continue // the project's own components make no AWS calls
				}
				used = append(used, r.Type)
			}
			used = append(used, s.calls...)
			for _, token := range used {
				if _, ok := table[token]; !ok && !slices.Contains(missing, token) {
					missing = append(missing, token)
				}
			}
			sort.Strings(missing)
			require.Empty(t, missing, "the program registers or calls these, and DeployerActions has no entry for them: add the provider's API actions for them")

			for _, token := range used {
				for _, a := range table[token] {
					if a.Action == "" {
						continue // documented as needing no permission
					}
					arns, ctx := s.targets(t, a.Scope)
					for _, arn := range arns {
						assert.True(t, s.policy.allows(t, a.Action, arn, ctx),
							"%s: %s needs %s on %s (%s), and the policy does not allow it", s.name, token, a.Action, arn, a.Source)
					}
				}
			}
		})
	}
}

// TestDeployerPolicyDataSources: what each data source the program calls
// needs. GetCallerIdentity needs no permission (AWS STS API Reference,
// GetCallerIdentity); getPartition and getRegion make no API call;
// getSessionContext calls iam:GetRole for an assumed-role caller
// (terraform-provider-aws iam/session_context_data_source.go).
func TestDeployerPolicyDataSources(t *testing.T) {
	for _, s := range dpLoadStacks(t) {
		t.Run(s.name, func(t *testing.T) {
			assert.Contains(t, s.calls, policies.CallCallerIdentity)
			roles, _ := s.targets(t, policies.ScopeDeployerRole)
			getRole := s.policy.allows(t, "iam:GetRole", roles[0], nil)
			if slices.Contains(s.calls, policies.CallSessionContext) {
				assert.True(t, getRole, "the program looks up the deploying session, so the role needs iam:GetRole on %s", roles[0])
			} else {
				assert.False(t, getRole, "the program does not look up the deploying session, so the policy must not grant iam:GetRole")
			}
		})
	}
}

// TestDeployerPolicyDeniesOtherResources: the role can only touch the lab's
// own names. Names of someone else's key alias, bucket and trail are made up.
func TestDeployerPolicyDeniesOtherResources(t *testing.T) {
	for _, s := range dpLoadStacks(t) {
		t.Run(s.name, func(t *testing.T) {
			partition, region, account := s.output(t, "partition"), s.output(t, "region"), s.output(t, "accountId")
			other := "210987654321" // an account no committed stack uses (docs/classes.md's acct04 example)
			require.NotEqual(t, other, account)
			denied := []struct {
				action, resource string
				ctx              map[string]any
			}{
				{"s3:DeleteBucket", "arn:" + partition + ":s3:::company-backups", nil},
				{"s3:GetObject", "arn:" + partition + ":s3:::company-backups/payroll.csv", nil},
				{"s3:PutBucketPolicy", "arn:" + partition + ":s3:::company-backups", nil},
				{"cloudtrail:DeleteTrail", "arn:" + partition + ":cloudtrail:" + region + ":" + account + ":trail/OrganizationTrail", nil},
				{"cloudtrail:StopLogging", "arn:" + partition + ":cloudtrail:" + region + ":" + account + ":trail/OrganizationTrail", nil},
				{"kms:DeleteAlias", "arn:" + partition + ":kms:" + region + ":" + account + ":alias/production", nil},
				{"kms:ScheduleKeyDeletion", "arn:" + partition + ":kms:" + region + ":" + other + ":key/1234abcd-12ab-34cd-56ef-1234567890ab", nil},
				// The lab key only ever is SYMMETRIC_DEFAULT (lab guide, task 1).
				{"kms:CreateKey", "*", map[string]any{"kms:KeySpec": "RSA_2048", "kms:KeyUsage": "SIGN_VERIFY", "kms:KeyOrigin": "AWS_KMS", "kms:MultiRegion": false}},
				{"kms:CreateKey", "*", map[string]any{"kms:KeySpec": "SYMMETRIC_DEFAULT", "kms:KeyUsage": "ENCRYPT_DECRYPT", "kms:KeyOrigin": "EXTERNAL", "kms:MultiRegion": false}},
				// The deployer never decrypts by itself, only through S3.
				{"kms:Decrypt", s.output(t, "keyArn"), map[string]any{}},
				{"kms:Decrypt", s.output(t, "keyArn"), map[string]any{"kms:ViaService": "secretsmanager." + region + ".amazonaws.com"}},
				{"iam:CreateRole", "arn:" + partition + ":iam::" + account + ":role/backdoor", nil},
			}
			for _, d := range denied {
				assert.False(t, s.policy.allows(t, d.action, d.resource, d.ctx), "%s must not be allowed on %s", d.action, d.resource)
			}
		})
	}
}

// TestDeployerActionsMatchTheProvider writes down, per resource type, the
// IAM actions the AWS provider's create, read, update and delete functions
// need, independently of the table in policies, so a slip in either shows.
// Sources: terraform-provider-aws internal/service/{kms,s3,cloudtrail}
// (key.go, alias.go, bucket.go, object.go, bucket_*.go, trail.go), which
// pulumi-aws v6 bridges; the API-to-action names from the Amazon S3 User
// Guide, "Required permissions for Amazon S3 API operations", and the
// Service Authorization Reference pages of AWS KMS and AWS CloudTrail.
func TestDeployerActionsMatchTheProvider(t *testing.T) {
	want := map[string][]string{
		// CreateKey (+TagResource for Tags), EnableKeyRotation, the waits'
		// GetKeyPolicy/GetKeyRotationStatus/ListResourceTags; read
		// DescribeKey, GetKeyPolicy, GetKeyRotationStatus, ListResourceTags;
		// update PutKeyPolicy, UpdateKeyDescription, EnableKey,
		// Enable/DisableKeyRotation, Tag/UntagResource; delete
		// ScheduleKeyDeletion.
		policies.TypeKey: {"kms:CreateKey", "kms:DescribeKey", "kms:DisableKeyRotation", "kms:EnableKey",
			"kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags",
			"kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateKeyDescription"},
		// CreateAlias, ListAliases (FindAliasByName), UpdateAlias, DeleteAlias.
		policies.TypeAlias: {"kms:CreateAlias", "kms:DeleteAlias", "kms:ListAliases", "kms:UpdateAlias"},
		// CreateBucket; HeadBucket = s3:ListBucket; the read's fourteen
		// GetBucket* calls; tags; DeleteBucket and forceDestroy's
		// ListObjectVersions + DeleteObjects (versions).
		policies.TypeBucket: {"s3:CreateBucket", "s3:DeleteBucket", "s3:DeleteObject", "s3:DeleteObjectVersion",
			"s3:GetAccelerateConfiguration", "s3:GetBucketAcl", "s3:GetBucketCORS", "s3:GetBucketLogging",
			"s3:GetBucketObjectLockConfiguration", "s3:GetBucketPolicy", "s3:GetBucketRequestPayment",
			"s3:GetBucketTagging", "s3:GetBucketVersioning", "s3:GetBucketWebsite", "s3:GetEncryptionConfiguration",
			"s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket", "s3:ListBucketVersions",
			"s3:PutBucketTagging"},
		policies.TypeBucketEncryption: {"s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration"},
		policies.TypeOwnership:        {"s3:GetBucketOwnershipControls", "s3:PutBucketOwnershipControls"},
		policies.TypePublicAccess:     {"s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
		policies.TypeBucketPolicy:     {"s3:DeleteBucketPolicy", "s3:GetBucketPolicy", "s3:PutBucketPolicy"},
		// Upload (PutObject with x-amz-acl, multipart, SSE-KMS data key),
		// HeadObject = s3:GetObject, tags, DeleteObject (versions).
		policies.TypeObject: {"kms:Decrypt", "kms:GenerateDataKey", "s3:AbortMultipartUpload", "s3:DeleteObject",
			"s3:DeleteObjectVersion", "s3:GetObject", "s3:GetObjectTagging", "s3:ListBucketVersions",
			"s3:PutObject", "s3:PutObjectAcl"},
		policies.TypeTrail: {"cloudtrail:AddTags", "cloudtrail:CreateTrail", "cloudtrail:DeleteTrail",
			"cloudtrail:DescribeTrails", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors",
			"cloudtrail:GetTrailStatus", "cloudtrail:ListTags", "cloudtrail:PutEventSelectors",
			"cloudtrail:PutInsightSelectors", "cloudtrail:RemoveTags", "cloudtrail:StartLogging",
			"cloudtrail:UpdateTrail"},
		policies.CallCallerIdentity: nil,
		policies.CallPartition:      nil,
		policies.CallRegion:         nil,
		policies.CallSessionContext: {"iam:GetRole"},
	}
	// What preview --refresh reads: the bucket's read path is the long one.
	wantBucketRefresh := []string{"s3:GetAccelerateConfiguration", "s3:GetBucketAcl", "s3:GetBucketCORS",
		"s3:GetBucketLogging", "s3:GetBucketObjectLockConfiguration", "s3:GetBucketPolicy",
		"s3:GetBucketRequestPayment", "s3:GetBucketTagging", "s3:GetBucketVersioning", "s3:GetBucketWebsite",
		"s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration", "s3:ListBucket"}

	table := policies.DeployerActions()
	var tokens []string
	for token := range table {
		tokens = append(tokens, token)
	}
	sort.Strings(tokens)
	var wantTokens []string
	for token := range want {
		wantTokens = append(wantTokens, token)
	}
	sort.Strings(wantTokens)
	assert.Equal(t, wantTokens, tokens)
	for _, token := range tokens {
		var got, refresh []string
		for _, a := range table[token] {
			assert.NotEmpty(t, a.Source, "%s %s has no source", token, a.Action)
			assert.NotEmpty(t, a.Steps, "%s %s has no step", token, a.Action)
			if a.Action != "" {
				got = append(got, a.Action)
			}
			if slices.Contains(a.Steps, policies.StepRead) {
				refresh = append(refresh, a.Action)
			}
		}
		sort.Strings(got)
		assert.Equal(t, want[token], got, token)
		if token == policies.TypeBucket {
			sort.Strings(refresh)
			assert.Equal(t, wantBucketRefresh, refresh, "BucketV2 refresh")
		}
	}
}

func TestLabplanDeployerPolicy(t *testing.T) {
	committed, err := os.ReadFile(filepath.Join(projectDir, "docs", "deployer-policy.json"))
	require.NoError(t, err)
	// The example class account of docs/classes.md with every lab setting
	// at its default: the committed document is its policy for any Region.
	example := project(t, "example", `config:
  aws:region: us-east-1
  aws:allowedAccountIds: ["111122223333"]
  aws:assumeRole:
    roleArn: arn:aws:iam::111122223333:role/kms-lab-deployer
`)
	badAlias := project(t, "bad", `config:
  aws:region: us-east-1
  aws:allowedAccountIds: ["111122223333"]
  kms-lab:keyAlias: alias/myFirstKey
`)
	cases := []struct {
		name   string
		dir    string
		args   []string
		code   int
		stdout string // exact, when set
		stderr []string
	}{
		{"committed document", example, []string{"--config", "Pulumi.example.yaml", "--region", "*"}, 0, string(committed), nil},
		{"no account in the stack", projectDir, []string{"--config", "Pulumi.dev.yaml"}, 2, "",
			[]string{"--account is required: stack dev has no single aws:allowedAccountIds entry"}},
		{"invalid setting", badAlias, []string{"--config", "Pulumi.bad.yaml"}, 2, "",
			[]string{"kms-lab:keyAlias", "alias/myFirstKey"}},
		{"bad Region", example, []string{"--config", "Pulumi.example.yaml", "--region", "Ohio"}, 2, "",
			[]string{`--region "Ohio": must be an AWS region name such as us-west-2`}},
		{"no config", projectDir, nil, 2, "", []string{"--config is required"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := runLabplan(t, c.dir, append([]string{"deployer-policy"}, c.args...)...)
			assert.Equal(t, c.code, res.code, res.stderr)
			if c.code != 0 || c.stdout != "" {
				assert.Equal(t, c.stdout, res.stdout)
			}
			for _, s := range c.stderr {
				assert.Contains(t, res.stderr, s)
			}
		})
	}
}

// providerCall is one API call the AWS provider makes for the program, in
// one lifecycle step, with the IAM action that authorizes it.
type providerCall struct {
	step, token, api, action string
	on                       policies.Scope // which of the stack's resources the call acts on
}

// labProviderCalls are the calls `pulumi up` (create, and update after a
// setting changes), `pulumi preview --refresh` (read) and `pulumi destroy`
// (delete) make for this program, written down from terraform-provider-aws
// v5 internal/service/{kms,s3,cloudtrail} (which pulumi-aws v6.83.4
// bridges), not from the policies package's table. API-to-action names:
// Amazon S3 User Guide, "Required permissions for Amazon S3 API
// operations"; Service Authorization Reference, AWS KMS and AWS CloudTrail.
// Only the calls this program can cause are listed: components/audittrail.go
// always sets enableLogging true, so trail.go's setLogging(false), the one
// caller of StopLogging, never runs; resourceTrailDelete calls DeleteTrail
// alone.
func labProviderCalls() []providerCall {
	key, alias, bucket, obj, trail := policies.TypeKey, policies.TypeAlias, policies.TypeBucket, policies.TypeObject, policies.TypeTrail
	c := func(step, token, api, action string, on policies.Scope) providerCall {
		return providerCall{step, token, api, action, on}
	}
	return []providerCall{
		// kms/key.go: create, then the waits and the read.
		c("create", key, "CreateKey", "kms:CreateKey", policies.ScopeNewKey),
		c("create", key, "CreateKey (Tags)", "kms:TagResource", policies.ScopeKeyTagging),
		c("create", key, "EnableKeyRotation", "kms:EnableKeyRotation", policies.ScopeKeys),
		c("read", key, "DescribeKey", "kms:DescribeKey", policies.ScopeKeys),
		c("read", key, "GetKeyPolicy", "kms:GetKeyPolicy", policies.ScopeKeys),
		c("read", key, "GetKeyRotationStatus", "kms:GetKeyRotationStatus", policies.ScopeKeys),
		c("read", key, "ListResourceTags", "kms:ListResourceTags", policies.ScopeKeys),
		c("update", key, "PutKeyPolicy (keyUsers, keyAdministrators)", "kms:PutKeyPolicy", policies.ScopeKeys),
		c("update", key, "UpdateKeyDescription", "kms:UpdateKeyDescription", policies.ScopeKeys),
		c("update", key, "EnableKey (a key disabled by hand)", "kms:EnableKey", policies.ScopeKeys),
		c("update", key, "DisableKeyRotation (keyRotation false)", "kms:DisableKeyRotation", policies.ScopeKeys),
		c("update", key, "UntagResource (a tag removed)", "kms:UntagResource", policies.ScopeKeys),
		c("delete", key, "ScheduleKeyDeletion", "kms:ScheduleKeyDeletion", policies.ScopeKeys),
		// kms/alias.go.
		c("create", alias, "CreateAlias", "kms:CreateAlias", policies.ScopeAlias),
		c("read", alias, "ListAliases (FindAliasByName)", "kms:ListAliases", policies.ScopeKMSList),
		c("update", alias, "UpdateAlias", "kms:UpdateAlias", policies.ScopeAlias),
		c("delete", alias, "DeleteAlias", "kms:DeleteAlias", policies.ScopeAlias),
		// s3/bucket.go and the bucket's sub-resources.
		c("create", bucket, "CreateBucket", "s3:CreateBucket", policies.ScopeBucket),
		c("create", bucket, "PutBucketTagging", "s3:PutBucketTagging", policies.ScopeBucket),
		c("read", bucket, "HeadBucket", "s3:ListBucket", policies.ScopeBucket),
		c("read", bucket, "GetBucketPolicy", "s3:GetBucketPolicy", policies.ScopeBucket),
		c("read", bucket, "GetBucketAcl", "s3:GetBucketAcl", policies.ScopeBucket),
		c("read", bucket, "GetBucketCors", "s3:GetBucketCORS", policies.ScopeBucket),
		c("read", bucket, "GetBucketWebsite", "s3:GetBucketWebsite", policies.ScopeBucket),
		c("read", bucket, "GetBucketVersioning", "s3:GetBucketVersioning", policies.ScopeBucket),
		c("read", bucket, "GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration", policies.ScopeBucket),
		c("read", bucket, "GetBucketRequestPayment", "s3:GetBucketRequestPayment", policies.ScopeBucket),
		c("read", bucket, "GetBucketLogging", "s3:GetBucketLogging", policies.ScopeBucket),
		c("read", bucket, "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration", policies.ScopeBucket),
		c("read", bucket, "GetBucketReplication", "s3:GetReplicationConfiguration", policies.ScopeBucket),
		c("read", bucket, "GetBucketEncryption", "s3:GetEncryptionConfiguration", policies.ScopeBucket),
		c("read", bucket, "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration", policies.ScopeBucket),
		c("read", bucket, "GetBucketTagging", "s3:GetBucketTagging", policies.ScopeBucket),
		c("delete", bucket, "ListObjectVersions (forceDestroy)", "s3:ListBucketVersions", policies.ScopeBucket),
		c("delete", bucket, "DeleteObjects (forceDestroy)", "s3:DeleteObject", policies.ScopeObjects),
		c("delete", bucket, "DeleteObjects with version IDs (forceDestroy)", "s3:DeleteObjectVersion", policies.ScopeObjects),
		c("delete", bucket, "DeleteBucket", "s3:DeleteBucket", policies.ScopeBucket),
		c("create", policies.TypeBucketEncryption, "PutBucketEncryption", "s3:PutEncryptionConfiguration", policies.ScopeBucket),
		c("create", policies.TypeOwnership, "PutBucketOwnershipControls", "s3:PutBucketOwnershipControls", policies.ScopeBucket),
		c("read", policies.TypeOwnership, "GetBucketOwnershipControls", "s3:GetBucketOwnershipControls", policies.ScopeBucket),
		c("create", policies.TypePublicAccess, "PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock", policies.ScopeBucket),
		c("read", policies.TypePublicAccess, "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock", policies.ScopeBucket),
		c("create", policies.TypeBucketPolicy, "PutBucketPolicy", "s3:PutBucketPolicy", policies.ScopeBucket),
		c("delete", policies.TypeBucketPolicy, "DeleteBucketPolicy", "s3:DeleteBucketPolicy", policies.ScopeBucket),
		// s3/object.go, with SSE-KMS: S3 calls KMS on the uploader's behalf
		// (Amazon S3 User Guide, "Using server-side encryption with AWS KMS
		// keys": GenerateDataKey, and Decrypt for a multipart upload).
		c("create", obj, "PutObject (x-amz-acl public-read)", "s3:PutObject", policies.ScopeObjects),
		c("create", obj, "PutObject x-amz-acl / PutObjectAcl", "s3:PutObjectAcl", policies.ScopeObjects),
		c("create", obj, "AbortMultipartUpload (a failed upload)", "s3:AbortMultipartUpload", policies.ScopeObjects),
		c("create", obj, "GenerateDataKey via S3", "kms:GenerateDataKey", policies.ScopeKeyViaS3),
		c("create", obj, "Decrypt via S3 (multipart)", "kms:Decrypt", policies.ScopeKeyViaS3),
		c("read", obj, "HeadObject", "s3:GetObject", policies.ScopeObjects),
		c("read", obj, "GetObjectTagging", "s3:GetObjectTagging", policies.ScopeObjects),
		c("delete", obj, "DeleteObject", "s3:DeleteObject", policies.ScopeObjects),
		c("delete", obj, "ListObjectVersions", "s3:ListBucketVersions", policies.ScopeBucket),
		c("delete", obj, "DeleteObject (versions)", "s3:DeleteObjectVersion", policies.ScopeObjects),
		// cloudtrail/trail.go.
		c("create", trail, "CreateTrail (TagsList)", "cloudtrail:CreateTrail", policies.ScopeTrail),
		c("create", trail, "CreateTrail TagsList", "cloudtrail:AddTags", policies.ScopeTrail),
		c("create", trail, "StartLogging (enable_logging true)", "cloudtrail:StartLogging", policies.ScopeTrail),
		c("create", trail, "PutEventSelectors", "cloudtrail:PutEventSelectors", policies.ScopeTrail),
		c("create", trail, "PutInsightSelectors", "cloudtrail:PutInsightSelectors", policies.ScopeTrail),
		c("read", trail, "DescribeTrails (findTrailByARN)", "cloudtrail:DescribeTrails", policies.ScopeCloudTrailList),
		c("read", trail, "GetTrailStatus", "cloudtrail:GetTrailStatus", policies.ScopeTrail),
		c("read", trail, "GetEventSelectors", "cloudtrail:GetEventSelectors", policies.ScopeTrail),
		c("read", trail, "GetInsightSelectors", "cloudtrail:GetInsightSelectors", policies.ScopeTrail),
		c("read", trail, "ListTags", "cloudtrail:ListTags", policies.ScopeTrail),
		c("update", trail, "UpdateTrail", "cloudtrail:UpdateTrail", policies.ScopeTrail),
		c("update", trail, "RemoveTags (a tag removed)", "cloudtrail:RemoveTags", policies.ScopeTrail),
		c("delete", trail, "DeleteTrail", "cloudtrail:DeleteTrail", policies.ScopeTrail),
	}
}

// TestDeployerPolicySimulatedAgainstProviderCalls simulates each committed
// stack's policy, as labplan prints it, against labProviderCalls: every call
// must be allowed on the stack's own resource, and every action the policy
// grants must be one that some call needs (issue 17, "Least privilege,
// checked independently": cloudtrail:StopLogging was granted and needed by
// none). iam:GetRole is the getSessionContext lookup, covered by
// TestDeployerPolicyDataSources.
func TestDeployerPolicySimulatedAgainstProviderCalls(t *testing.T) {
	calls := labProviderCalls()
	for _, s := range dpLoadStacks(t) {
		t.Run(s.name, func(t *testing.T) {
			var notGranted []string
			for _, c := range calls {
				arns, ctx := s.targets(t, c.on)
				for _, arn := range arns {
					if !s.policy.allows(t, c.action, arn, ctx) {
						notGranted = append(notGranted, fmt.Sprintf("%s %s %s: %s on %s", c.step, c.token, c.api, c.action, arn))
					}
				}
			}
			assert.Empty(t, notGranted, "provider calls the policy does not allow")

			var unneeded []string
			for _, st := range s.policy.Statement {
				for _, granted := range dpList(st.Action) {
					needed := strings.EqualFold(granted, "iam:GetRole") && slices.Contains(s.calls, policies.CallSessionContext)
					for _, c := range calls {
						needed = needed || dpGlob(strings.ToLower(granted), strings.ToLower(c.action))
					}
					if !needed && !slices.Contains(unneeded, granted) {
						unneeded = append(unneeded, granted)
					}
				}
			}
			sort.Strings(unneeded)
			assert.Empty(t, unneeded, "actions the policy grants that no provider call of this program needs")
		})
	}
}

// TestDeployerPolicyHasNoStopLogging pins the finding on its own:
// the lab's trail may be deleted by destroy, never silenced.
func TestDeployerPolicyHasNoStopLogging(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(projectDir, "docs", "deployer-policy.json"))
	require.NoError(t, err)
	assert.NotContains(t, string(doc), "cloudtrail:StopLogging")
	assert.Contains(t, string(doc), "cloudtrail:DeleteTrail")
}
