package emulatorapply_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/emulatorapply"
	"github.com/kms-lab/kms-lab/internal/plan"
)

// renderDev renders the dev plan for a fresh account without applying it,
// so a test can change an input first.
func renderDev(t *testing.T) (*plan.Plan, emulatorapply.Target) {
	t.Helper()
	moto := suite.Need(t)
	account := accountFor(t)
	s, err := emulatorapply.AssumeRole(context.Background(), moto.URL, region, "arn:aws:iam::"+account+":role/LabDeployer", "variant")
	require.NoError(t, err)
	opts := plan.Options{AccountID: account, Region: region, Partition: "aws", CallerARN: s.CallerARN}
	p, err := plan.RenderConfigFile(filepath.Join(projectDir(t), "Pulumi.dev.yaml"), opts)
	require.NoError(t, err)
	return p, emulatorapply.Target{Config: s.Config, Options: opts, ProjectDir: projectDir(t)}
}

func inputsOf(t *testing.T, p *plan.Plan, typ string) map[string]any {
	t.Helper()
	r := p.Find(typ)
	require.NotNil(t, r, typ)
	return r.Inputs
}

// Inputs the dev plan does not exercise, set by hand on its plan.
func TestApplyPlanVariants(t *testing.T) {
	ctx := context.Background()
	t.Run("disabled key", func(t *testing.T) {
		p, tg := renderDev(t)
		inputsOf(t, p, keyType)["isEnabled"] = false
		applied, err := emulatorapply.Apply(ctx, p, tg)
		require.NoError(t, err)
		meta, err := kms.NewFromConfig(tg.Config).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(applied.Outputs["keyId"].(string))})
		require.NoError(t, err)
		assert.False(t, meta.KeyMetadata.Enabled)
		assert.Equal(t, "Disabled", string(meta.KeyMetadata.KeyState))
	})
	t.Run("advanced event selectors", func(t *testing.T) {
		p, tg := renderDev(t)
		in := inputsOf(t, p, trailType)
		delete(in, "eventSelectors")
		// "Log events by using advanced event selectors", AWS CloudTrail
		// User Guide: S3 object data events are eventCategory Data with
		// resources.type AWS::S3::Object.
		in["advancedEventSelectors"] = []any{
			map[string]any{"name": "Management events", "fieldSelectors": []any{
				map[string]any{"field": "eventCategory", "equals": []any{"Management"}}}},
			map[string]any{"name": "S3 data events", "fieldSelectors": []any{
				map[string]any{"field": "eventCategory", "equals": []any{"Data"}},
				map[string]any{"field": "resources.type", "equals": []any{"AWS::S3::Object"}}}},
		}
		_, err := emulatorapply.Apply(ctx, p, tg)
		require.NoError(t, err)
		sel, err := cloudtrail.NewFromConfig(tg.Config).GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(in["name"].(string))})
		require.NoError(t, err)
		assert.Empty(t, sel.EventSelectors)
		require.Len(t, sel.AdvancedEventSelectors, 2)
		got := sel.AdvancedEventSelectors[1]
		assert.Equal(t, "S3 data events", aws.ToString(got.Name))
		require.Len(t, got.FieldSelectors, 2)
		assert.Equal(t, "resources.type", aws.ToString(got.FieldSelectors[1].Field))
		assert.Equal(t, []string{"AWS::S3::Object"}, got.FieldSelectors[1].Equals)
	})
	t.Run("logging off", func(t *testing.T) {
		p, tg := renderDev(t)
		in := inputsOf(t, p, trailType)
		in["enableLogging"] = false
		_, err := emulatorapply.Apply(ctx, p, tg)
		require.NoError(t, err)
		st, err := cloudtrail.NewFromConfig(tg.Config).GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(in["name"].(string))})
		require.NoError(t, err)
		assert.False(t, aws.ToBool(st.IsLogging))
	})
	t.Run("asset changed since the plan", func(t *testing.T) {
		p, tg := renderDev(t)
		inputsOf(t, p, objectType)["source"].(map[string]any)["asset"].(map[string]any)["sha256"] = "00"
		_, err := emulatorapply.Apply(ctx, p, tg)
		require.Error(t, err)
		assert.Contains(t, err.Error(), `aws:s3/bucketObjectv2:BucketObjectv2 "lab-image": source: assets/lab-image.png has sha256 `)
		assert.Contains(t, err.Error(), "the plan says 00")
	})
}
