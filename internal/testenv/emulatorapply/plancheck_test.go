package emulatorapply

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// Every committed stack's plan must be applicable: a resource type or input
// the program starts using fails here until the applier maps it.
func TestEveryStackPlanIsSupported(t *testing.T) {
	stacks, err := filepath.Glob(filepath.Join(mototest.ProjectDir(t), "Pulumi.*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, stacks)
	for _, stack := range stacks {
		t.Run(filepath.Base(stack), func(t *testing.T) {
			p, err := plan.RenderFile("", stack, plan.Options{})
			require.NoError(t, err)
			order, err := creationOrder(p)
			require.NoError(t, err)
			assert.NoError(t, checkSupported(order))
		})
	}
}

// testPlan is a small plan: a key, and an alias that depends on it.
func testPlan() *plan.Plan {
	return &plan.Plan{Project: "kms-lab", Stack: "t", Outputs: map[string]any{"accountId": "111122223333", "region": "us-west-2", "partition": "aws"},
		Resources: []plan.Resource{
			{URN: "urn:key", Type: "aws:kms/key:Key", Name: "k", Parent: "urn:comp", Inputs: map[string]any{"description": "d", "policy": map[string]any{}}},
			{URN: "urn:alias", Type: "aws:kms/alias:Alias", Name: "a", Parent: "urn:comp", DependsOn: []string{"urn:key"},
				Inputs: map[string]any{"name": "alias/x", "targetKeyId": "k"}},
			{URN: "urn:comp", Type: "kms-lab:kms:EncryptionKey", Name: "k", Inputs: map[string]any{}},
		}}
}

func testTarget(t *testing.T) Target {
	return Target{
		Config:     aws.Config{Region: "us-west-2", BaseEndpoint: aws.String("http://127.0.0.1:1")},
		Options:    plan.Options{AccountID: "111122223333", Region: "us-west-2", Partition: "aws"},
		ProjectDir: t.TempDir(),
	}
}

// Whatever the applier cannot apply faithfully is refused before the first
// call (the endpoint above answers nothing), with every problem named.
func TestApplyRefuses(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(p *plan.Plan, tg *Target)
		wantIn []string
	}{
		{"unknown resource type", func(p *plan.Plan, _ *Target) {
			p.Resources = append(p.Resources, plan.Resource{URN: "urn:q", Type: "aws:sqs/queue:Queue", Name: "q", Inputs: map[string]any{}})
		}, []string{`aws:sqs/queue:Queue "q": resource type not supported by the applier (it knows aws:cloudtrail/trail:Trail, `}},
		{"unknown inputs, all named", func(p *plan.Plan, _ *Target) {
			p.Resources[0].Inputs["origin"] = "EXTERNAL"
			p.Resources[0].Inputs["bypassPolicyLockoutSafetyCheck"] = true
			p.Resources[1].Inputs["targetKeyArn"] = "x"
		}, []string{`aws:kms/key:Key "k": inputs "bypassPolicyLockoutSafetyCheck", "origin" not understood by the applier (it knows customerMasterKeySpec, `,
			`aws:kms/alias:Alias "a": inputs "targetKeyArn" not understood`}},
		{"unknown nested input", func(p *plan.Plan, _ *Target) {
			p.Resources = append(p.Resources, plan.Resource{URN: "urn:o", Type: "aws:s3/bucketOwnershipControls:BucketOwnershipControls", Name: "o",
				Inputs: map[string]any{"bucket": "b", "rule": map[string]any{"objectOwnership": "BucketOwnerPreferred", "extra": 1}}})
		}, []string{`BucketOwnershipControls "o": inputs not understood by the applier: json: unknown field "extra"`}},
		{"input of the wrong type", func(p *plan.Plan, _ *Target) { p.Resources[0].Inputs["enableKeyRotation"] = "yes" },
			[]string{`aws:kms/key:Key "k": inputs not understood by the applier`, "enableKeyRotation"}},
		{"a value only known after deployment", func(p *plan.Plan, _ *Target) { p.Resources[1].Inputs["targetKeyId"] = plan.Unknown },
			[]string{`aws:kms/alias:Alias "a": input targetKeyId is [unknown] in the plan; the applier needs the value`}},
		{"a secret", func(p *plan.Plan, _ *Target) { p.Resources[0].Inputs["tags"] = map[string]any{"owner": plan.Masked} },
			[]string{`aws:kms/key:Key "k": input tags.owner is [secret] in the plan`}},
		{"dependency cycle", func(p *plan.Plan, _ *Target) { p.Resources[0].DependsOn = []string{"urn:alias"} },
			[]string{"dependency cycle among urn:alias, urn:key"}},
		{"dependency outside the plan", func(p *plan.Plan, _ *Target) { p.Resources[1].DependsOn = []string{"urn:gone"} },
			[]string{"urn:alias depends on urn:gone, which the plan does not contain"}},
		{"component with inputs", func(p *plan.Plan, _ *Target) { p.Resources[2].Inputs["x"] = 1 },
			[]string{"component urn:comp has inputs x"}},
		{"target does not match the plan", func(_ *plan.Plan, tg *Target) {
			tg.Options.AccountID = "123456789012"
			tg.Options.Partition = ""
			tg.Config.Region = "eu-west-1"
			tg.Config.BaseEndpoint = nil
		}, []string{`Options.AccountID = "123456789012" but the plan's output "accountId" is 111122223333`,
			"Options.Partition is empty", `Config.Region = "eu-west-1", want the plan's region "us-west-2"`, "Config.BaseEndpoint is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, tg := testPlan(), testTarget(t)
			tt.edit(p, &tg)
			_, err := Apply(context.Background(), p, tg)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "emulatorapply: "), err.Error())
			for _, w := range tt.wantIn {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// A dependency on a component is a dependency on its children, and ties
// are broken by URN.
func TestCreationOrder(t *testing.T) {
	p := testPlan()
	p.Resources = append(p.Resources,
		plan.Resource{URN: "urn:a-first", Type: "aws:s3/bucketV2:BucketV2", Name: "b", DependsOn: []string{"urn:comp"}, Inputs: map[string]any{}},
		plan.Resource{URN: "urn:0", Type: "aws:s3/bucketV2:BucketV2", Name: "c", Inputs: map[string]any{}})
	order, err := creationOrder(p)
	require.NoError(t, err)
	var urns []string
	for _, r := range order {
		urns = append(urns, r.URN)
	}
	assert.Equal(t, []string{"urn:0", "urn:key", "urn:alias", "urn:a-first"}, urns)
}

func TestReplacerLongestFirst(t *testing.T) {
	r := newReplacer()
	r.add("ab", "X")
	r.add("abc", "Y")
	assert.Equal(t, map[string]any{"k": []any{"YX", 1.0}}, r.value(map[string]any{"k": []any{"abcab", 1.0}}))
}
