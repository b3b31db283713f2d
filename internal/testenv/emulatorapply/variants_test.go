package emulatorapply_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
	"github.com/kms-lab/kms-lab/internal/testenv/emulatorapply"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// renderDev renders the dev plan for a fresh account without applying it,
// so a test can change an input first.
func renderDev(t *testing.T) (*plan.Plan, emulatorapply.Target) {
	t.Helper()
	return renderStack(t, filepath.Join(mototest.ProjectDir(t), "Pulumi.dev.yaml"))
}

// renderStack renders a stack file of the project for a fresh account.
func renderStack(t *testing.T, stackFile string) (*plan.Plan, emulatorapply.Target) {
	t.Helper()
	moto := suite.Need(t)
	account := mototest.AccountFor(t, accountLead)
	s, err := mototest.AssumeRole(context.Background(), moto.URL, region, "arn:aws:iam::"+account+":role/LabDeployer", "variant")
	require.NoError(t, err)
	opts := plan.Options{AccountID: account, Region: region, Partition: "aws", CallerARN: s.CallerARN}
	sc, err := stackconfig.Load(mototest.ProjectDir(t), stackFile)
	require.NoError(t, err)
	p, err := plan.Render(sc, opts)
	require.NoError(t, err)
	return p, emulatorapply.Target{Config: s.Config, Options: opts, ProjectDir: mototest.ProjectDir(t)}
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
				map[string]any{"field": "resources.type", "equals": []any{"AWS::S3::Object"}},
				// pulumi-aws names the list operators in the plural.
				map[string]any{"field": "resources.ARN", "notStartsWiths": []any{"arn:aws:s3:::trail-bucket/"}}}},
		}
		_, err := emulatorapply.Apply(ctx, p, tg)
		require.NoError(t, err)
		sel, err := cloudtrail.NewFromConfig(tg.Config).GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(in["name"].(string))})
		require.NoError(t, err)
		assert.Empty(t, sel.EventSelectors)
		require.Len(t, sel.AdvancedEventSelectors, 2)
		got := sel.AdvancedEventSelectors[1]
		assert.Equal(t, "S3 data events", aws.ToString(got.Name))
		require.Len(t, got.FieldSelectors, 3)
		assert.Equal(t, "resources.type", aws.ToString(got.FieldSelectors[1].Field))
		assert.Equal(t, []string{"AWS::S3::Object"}, got.FieldSelectors[1].Equals)
		assert.Equal(t, []string{"arn:aws:s3:::trail-bucket/"}, got.FieldSelectors[2].NotStartsWith)
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
	t.Run("exact bucket name, key prefix, SSE-KMS default, object tags", func(t *testing.T) {
		// An exact bucket name is the stack setting kms-lab:bucketName.
		name := "kms-lab-variant-" + mototest.AccountFor(t, accountLead)
		stack := filepath.Join(t.TempDir(), "Pulumi.variant.yaml")
		require.NoError(t, os.WriteFile(stack, []byte("config:\n  aws:region: us-west-2\n  kms-lab:bucketName: "+name+"\n"), 0o600))
		p, tg := renderStack(t, stack)
		assert.Equal(t, name, inputsOf(t, p, bucketType)["bucket"])
		enc := inputsOf(t, p, encryptionType)
		keyARN := p.Outputs["keyArn"].(string) // the mock's, replaced by the real one
		enc["rules"] = []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": keyARN}, "bucketKeyEnabled": true}}
		encURN := p.Find(encryptionType).URN
		keyURN := p.Find(keyType).URN
		for i := range p.Resources {
			if p.Resources[i].URN == encURN {
				p.Resources[i].DependsOn = append(p.Resources[i].DependsOn, keyURN)
			}
		}
		inputsOf(t, p, trailType)["s3KeyPrefix"] = "class-7"
		inputsOf(t, p, objectType)["tags"] = map[string]any{"course": "kms 101"}
		applied, err := emulatorapply.Apply(ctx, p, tg)
		require.NoError(t, err)

		sc := s3.NewFromConfig(tg.Config, func(o *s3.Options) { o.UsePathStyle = true })
		assert.Equal(t, name, applied.Outputs["bucketName"])
		got, err := sc.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(name)})
		require.NoError(t, err)
		rule := got.ServerSideEncryptionConfiguration.Rules[0]
		assert.Equal(t, "aws:kms", string(rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm))
		assert.Equal(t, applied.Outputs["keyArn"], aws.ToString(rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID))
		assert.True(t, aws.ToBool(rule.BucketKeyEnabled))
		tr, err := cloudtrail.NewFromConfig(tg.Config).GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String("myTrail")})
		require.NoError(t, err)
		assert.Equal(t, "class-7", aws.ToString(tr.Trail.S3KeyPrefix))
		tags, err := sc.GetObjectTagging(ctx, &s3.GetObjectTaggingInput{Bucket: aws.String(name), Key: aws.String("lab-image.png")})
		require.NoError(t, err)
		require.Len(t, tags.TagSet, 1)
		assert.Equal(t, "course", aws.ToString(tags.TagSet[0].Key))
		assert.Equal(t, "kms 101", aws.ToString(tags.TagSet[0].Value))
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
