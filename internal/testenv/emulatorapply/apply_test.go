package emulatorapply_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

const (
	keyType        = "aws:kms/key:Key"
	aliasType      = "aws:kms/alias:Alias"
	bucketType     = "aws:s3/bucketV2:BucketV2"
	encryptionType = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	ownershipType  = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	pabType        = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	policyType     = "aws:s3/bucketPolicy:BucketPolicy"
	objectType     = "aws:s3/bucketObjectv2:BucketObjectv2"
	trailType      = "aws:cloudtrail/trail:Trail"
)

// inputs returns the inputs the applier created a resource type with (the
// plan's, with the emulator's identifiers in place of the mock ones).
func (d deployed) inputs(t *testing.T, typ string) map[string]any {
	t.Helper()
	r := d.plan.Find(typ)
	require.NotNil(t, r, "the plan has no %s", typ)
	in, ok := d.applied.Inputs[r.URN]
	require.True(t, ok, "%s was not applied", typ)
	return in
}

func (d deployed) id(t *testing.T, typ string) string {
	t.Helper()
	r := d.plan.Find(typ)
	require.NotNil(t, r)
	return d.applied.IDs[r.URN]
}

// jsonEqual compares a policy the emulator returned with the plan's.
func jsonEqual(t *testing.T, want any, got string) {
	t.Helper()
	w, err := json.Marshal(want)
	require.NoError(t, err)
	assert.JSONEq(t, string(w), got)
}

func stringMap(v any) map[string]string {
	out := map[string]string{}
	if m, ok := v.(map[string]any); ok {
		for k, e := range m {
			out[k], _ = e.(string)
		}
	}
	return out
}

// TestApplyDevPlanInputs reads every input of every resource of the dev
// plan back from the emulator: what the applier must do is create exactly
// what the plan says. Where the lab guide fixes a value, it is asserted too
// ("Introduction to AWS Key Management Service", tasks 1-4).
func TestApplyDevPlanInputs(t *testing.T) {
	d := applyDev(t)
	ctx := context.Background()
	kc := kms.NewFromConfig(d.session.Config)
	sc := s3.NewFromConfig(d.session.Config, func(o *s3.Options) { o.UsePathStyle = true })
	cc := cloudtrail.NewFromConfig(d.session.Config)
	keyID := d.id(t, keyType)
	bucket := d.id(t, bucketType)

	t.Run(keyType, func(t *testing.T) {
		in := d.inputs(t, keyType)
		meta, err := kc.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(keyID)})
		require.NoError(t, err)
		m := meta.KeyMetadata
		policy, err := kc.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(keyID), PolicyName: aws.String("default")})
		require.NoError(t, err)
		rotation, err := kc.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(keyID)})
		require.NoError(t, err)
		tags, err := kc.ListResourceTags(ctx, &kms.ListResourceTagsInput{KeyId: aws.String(keyID)})
		require.NoError(t, err)
		gotTags := map[string]string{}
		for _, tg := range tags.Tags {
			gotTags[aws.ToString(tg.TagKey)] = aws.ToString(tg.TagValue)
		}
		tests := []struct {
			input string
			want  any
			got   any
		}{
			{"description", in["description"], aws.ToString(m.Description)},
			{"keyUsage", in["keyUsage"], string(m.KeyUsage)},
			{"customerMasterKeySpec", in["customerMasterKeySpec"], string(m.KeySpec)},
			{"isEnabled", in["isEnabled"], m.Enabled},
			{"enableKeyRotation", in["enableKeyRotation"], rotation.KeyRotationEnabled},
			{"tags", stringMap(in["tags"]), gotTags},
		}
		for _, tt := range tests {
			assert.Equal(t, tt.want, tt.got, tt.input)
		}
		jsonEqual(t, in["policy"], aws.ToString(policy.Policy))
		// Lab task 1: description "KMS Key for S3 data", symmetric, encrypt and decrypt.
		assert.Equal(t, "KMS Key for S3 data", aws.ToString(m.Description))
		assert.Equal(t, "SYMMETRIC_DEFAULT", string(m.KeySpec))
		// The key policy names the session's role, not the session
		// (the README's keyAdministrators rule), in the test's account.
		assert.Contains(t, aws.ToString(policy.Policy), `"arn:aws:iam::`+d.opts.AccountID+`:role/LabDeployer"`)
	})

	t.Run(aliasType, func(t *testing.T) {
		in := d.inputs(t, aliasType)
		aliases, err := kc.ListAliases(ctx, &kms.ListAliasesInput{KeyId: aws.String(keyID)})
		require.NoError(t, err)
		var names []string
		for _, a := range aliases.Aliases {
			names = append(names, aws.ToString(a.AliasName))
			assert.Equal(t, keyID, aws.ToString(a.TargetKeyId), "targetKeyId")
		}
		assert.Equal(t, []string{in["name"].(string)}, names, "name")
		assert.Equal(t, keyID, in["targetKeyId"], "targetKeyId is the emulator's key ID")
		assert.Equal(t, "alias/myFirstKey", in["name"]) // lab task 1
	})

	t.Run(bucketType, func(t *testing.T) {
		in := d.inputs(t, bucketType)
		// The provider appends 26 characters to bucketPrefix.
		assert.True(t, strings.HasPrefix(bucket, in["bucketPrefix"].(string)), bucket)
		assert.Len(t, bucket, len(in["bucketPrefix"].(string))+26)
		loc, err := sc.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(bucket)})
		require.NoError(t, err)
		assert.Equal(t, region, string(loc.LocationConstraint))
		tags, err := sc.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(bucket)})
		require.NoError(t, err)
		got := map[string]string{}
		for _, tg := range tags.TagSet {
			got[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		assert.Equal(t, stringMap(in["tags"]), got, "tags")
	})

	t.Run(encryptionType, func(t *testing.T) {
		in := d.inputs(t, encryptionType)
		enc, err := sc.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(bucket)})
		require.NoError(t, err)
		rules := in["rules"].([]any)
		require.Len(t, enc.ServerSideEncryptionConfiguration.Rules, len(rules))
		want := rules[0].(map[string]any)["applyServerSideEncryptionByDefault"].(map[string]any)["sseAlgorithm"]
		assert.Equal(t, want, string(enc.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm))
		assert.Equal(t, bucket, in["bucket"])
	})

	t.Run(ownershipType, func(t *testing.T) {
		in := d.inputs(t, ownershipType)
		oc, err := sc.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String(bucket)})
		require.NoError(t, err)
		require.Len(t, oc.OwnershipControls.Rules, 1)
		assert.Equal(t, in["rule"].(map[string]any)["objectOwnership"], string(oc.OwnershipControls.Rules[0].ObjectOwnership))
	})

	t.Run(pabType, func(t *testing.T) {
		in := d.inputs(t, pabType)
		pab, err := sc.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(bucket)})
		require.NoError(t, err)
		c := pab.PublicAccessBlockConfiguration
		assert.Equal(t, map[string]any{
			"bucket": bucket, "blockPublicAcls": aws.ToBool(c.BlockPublicAcls), "ignorePublicAcls": aws.ToBool(c.IgnorePublicAcls),
			"blockPublicPolicy": aws.ToBool(c.BlockPublicPolicy), "restrictPublicBuckets": aws.ToBool(c.RestrictPublicBuckets),
		}, in)
	})

	t.Run(policyType, func(t *testing.T) {
		in := d.inputs(t, policyType)
		pol, err := sc.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: aws.String(bucket)})
		require.NoError(t, err)
		jsonEqual(t, in["policy"], aws.ToString(pol.Policy))
		// The policy names the real bucket and account, not the mock's.
		assert.Contains(t, aws.ToString(pol.Policy), "arn:aws:s3:::"+bucket+"/AWSLogs/"+d.opts.AccountID+"/*")
	})

	t.Run(objectType, func(t *testing.T) {
		in := d.inputs(t, objectType)
		key := in["key"].(string)
		head, err := sc.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		require.NoError(t, err)
		keyARN := d.applied.Outputs["keyArn"].(string)
		tests := []struct {
			input string
			want  any
			got   any
		}{
			{"serverSideEncryption", in["serverSideEncryption"], string(head.ServerSideEncryption)},
			{"kmsKeyId", in["kmsKeyId"], aws.ToString(head.SSEKMSKeyId)},
			{"kmsKeyId is the emulator's key", keyARN, in["kmsKeyId"]},
			{"contentType", in["contentType"], aws.ToString(head.ContentType)},
			{"bucketKeyEnabled", in["bucketKeyEnabled"], aws.ToBool(head.BucketKeyEnabled)},
			{"bucket", bucket, in["bucket"]},
		}
		for _, tt := range tests {
			assert.Equal(t, tt.want, tt.got, tt.input)
		}
		obj, err := sc.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		require.NoError(t, err)
		body, err := io.ReadAll(obj.Body)
		obj.Body.Close()
		require.NoError(t, err)
		file, err := os.ReadFile(filepath.Join(mototest.ProjectDir(t), in["source"].(map[string]any)["asset"].(map[string]any)["path"].(string)))
		require.NoError(t, err)
		assert.Equal(t, file, body, "source: the object holds the asset's bytes")
		sum := sha256.Sum256(body)
		assert.Equal(t, in["source"].(map[string]any)["asset"].(map[string]any)["sha256"], hex.EncodeToString(sum[:]))

		acl, err := sc.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String(bucket), Key: aws.String(key)})
		require.NoError(t, err)
		var public []string
		for _, g := range acl.Grants {
			// The canned ACL public-read grants the AllUsers group READ
			// (S3 user guide, "Access control list (ACL) overview", Canned ACL).
			if g.Grantee != nil && aws.ToString(g.Grantee.URI) == "http://acs.amazonaws.com/groups/global/AllUsers" {
				public = append(public, string(g.Permission))
			}
		}
		assert.Equal(t, "public-read", in["acl"])
		assert.Equal(t, []string{"READ"}, public, "acl")
	})

	t.Run(trailType, func(t *testing.T) {
		in := d.inputs(t, trailType)
		name := in["name"].(string)
		tr, err := cc.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String(name)})
		require.NoError(t, err)
		status, err := cc.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(name)})
		require.NoError(t, err)
		tests := []struct {
			input string
			want  any
			got   any
		}{
			{"s3BucketName", in["s3BucketName"], aws.ToString(tr.Trail.S3BucketName)},
			{"s3BucketName is the emulator's bucket", bucket, in["s3BucketName"]},
			{"isMultiRegionTrail", in["isMultiRegionTrail"], aws.ToBool(tr.Trail.IsMultiRegionTrail)},
			{"includeGlobalServiceEvents", in["includeGlobalServiceEvents"], aws.ToBool(tr.Trail.IncludeGlobalServiceEvents)},
			{"enableLogFileValidation", in["enableLogFileValidation"], aws.ToBool(tr.Trail.LogFileValidationEnabled)},
			{"enableLogging", in["enableLogging"], aws.ToBool(status.IsLogging)},
			{"trail ARN", d.applied.Outputs["trailArn"], aws.ToString(tr.Trail.TrailARN)},
		}
		for _, tt := range tests {
			assert.Equal(t, tt.want, tt.got, tt.input)
		}
		sel, err := cc.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(name)})
		require.NoError(t, err)
		var got []any
		for _, s := range sel.EventSelectors {
			var resources []any
			for _, r := range s.DataResources {
				resources = append(resources, map[string]any{"type": aws.ToString(r.Type), "values": toAny(r.Values)})
			}
			got = append(got, map[string]any{"readWriteType": string(s.ReadWriteType), "includeManagementEvents": aws.ToBool(s.IncludeManagementEvents), "dataResources": resources})
		}
		assert.Equal(t, in["eventSelectors"], got, "eventSelectors")
		ins, err := cc.GetInsightSelectors(ctx, &cloudtrail.GetInsightSelectorsInput{TrailName: aws.String(name)})
		require.NoError(t, err)
		var insights []any
		for _, s := range ins.InsightSelectors {
			insights = append(insights, map[string]any{"insightType": string(s.InsightType)})
		}
		assert.Equal(t, in["insightSelectors"], insights, "insightSelectors")
		tags, err := cc.ListTags(ctx, &cloudtrail.ListTagsInput{ResourceIdList: []string{aws.ToString(tr.Trail.TrailARN)}})
		require.NoError(t, err)
		gotTags := map[string]string{}
		for _, rt := range tags.ResourceTagList {
			for _, tg := range rt.TagsList {
				gotTags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
			}
		}
		assert.Equal(t, stringMap(in["tags"]), gotTags, "tags")
	})
}

func toAny(list []string) []any {
	out := []any{}
	for _, s := range list {
		out = append(out, s)
	}
	return out
}

// The mock engine's identifiers must not survive anywhere: the outputs feed
// labctl, and a mock key ID there would send it looking for a key that does
// not exist.
func TestApplyReplacesMockIdentifiers(t *testing.T) {
	d := applyDev(t)
	mockKeyID := d.plan.Outputs["keyId"].(string)
	mockBucket := d.plan.Outputs["bucketName"].(string)
	realKeyID, realBucket := d.id(t, keyType), d.id(t, bucketType)
	require.NotEqual(t, mockKeyID, realKeyID)
	require.NotEqual(t, mockBucket, realBucket)

	out := d.applied.Outputs
	assert.Equal(t, realKeyID, out["keyId"])
	assert.Equal(t, "arn:aws:kms:"+region+":"+d.opts.AccountID+":key/"+realKeyID, out["keyArn"])
	assert.Equal(t, realBucket, out["bucketName"])
	assert.Equal(t, "https://"+realBucket+".s3."+region+".amazonaws.com/lab-image.png", out["objectUrl"])
	everything, err := json.Marshal([]any{d.applied.Outputs, d.applied.Inputs})
	require.NoError(t, err)
	assert.NotContains(t, string(everything), mockKeyID)
	assert.NotContains(t, string(everything), mockBucket)
}

// The order must respect the edges the README lists as ones AWS enforces:
// the trail after the bucket policy (InsufficientS3BucketPolicyException),
// the image after the ownership controls and public access block
// (AccessControlListNotSupported / AccessDenied), the bucket policy after
// the public access block (OperationAborted); and each resource after what
// its inputs name.
func TestApplyOrder(t *testing.T) {
	d := applyDev(t)
	pos := map[string]int{}
	for i, urn := range d.applied.Order {
		pos[d.typeOf(t, urn)] = i
	}
	require.Len(t, pos, 9, "every custom resource of the dev plan is applied once: %v", d.applied.Order)
	edges := [][2]string{
		{keyType, aliasType}, {keyType, objectType},
		{bucketType, encryptionType}, {bucketType, ownershipType}, {bucketType, pabType}, {bucketType, policyType},
		{policyType, trailType}, {bucketType, trailType},
		{ownershipType, objectType}, {pabType, objectType}, {pabType, policyType},
		// the rest of the bucket-level chain (OperationAborted)
		{ownershipType, pabType}, {policyType, encryptionType},
	}
	for _, e := range edges {
		assert.Less(t, pos[e[0]], pos[e[1]], "%s before %s", e[0], e[1])
	}
}

func (d deployed) typeOf(t *testing.T, urn string) string {
	for _, r := range d.plan.Resources {
		if r.URN == urn {
			return r.Type
		}
	}
	t.Fatalf("no resource %s", urn)
	return ""
}
