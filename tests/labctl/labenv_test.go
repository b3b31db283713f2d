package labctl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"
)

const (
	region    = "us-west-2"
	account   = "123456789012" // moto's fixed account
	partition = "aws"
	student   = "arn:aws:iam::123456789012:user/AWSLabsUser-e2e"
)

// pngBytes is a tiny but real PNG, so the object is what the lab uploads.
var pngBytes = []byte{
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
	0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
	0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
	0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
}

// sdk are clients for the test's own setup calls against moto.
type sdk struct {
	s3  *s3.Client
	kms *kms.Client
	ct  *cloudtrail.Client
}

func newSDK(endpoint string) sdk {
	cfg := aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: aws.String(endpoint),
	}
	return sdk{
		s3:  s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
		kms: kms.NewFromConfig(cfg),
		ct:  cloudtrail.NewFromConfig(cfg),
	}
}

// lab is one lab environment, built the way the Pulumi program builds it.
type lab struct {
	name      string
	keyID     string
	keyARN    string
	alias     string
	bucket    string
	objectKey string
	trailName string
	trailARN  string
	uploaded  time.Time
	admins    []string
	users     []string
}

var labSeq atomic.Int64

// newLab creates a key, a trail bucket, a trail and the encrypted public
// image with unique names, so tests can share one moto server.
func newLab(t *testing.T, c sdk) *lab {
	t.Helper()
	ctx := context.Background()
	n := labSeq.Add(1)
	l := &lab{
		name:      fmt.Sprintf("e2e%d", n),
		alias:     fmt.Sprintf("alias/myFirstKey-e2e%d", n),
		bucket:    fmt.Sprintf("mycloudtrailbucket%026d", time.Now().UnixNano()+n),
		objectKey: "lab-image.png",
		trailName: fmt.Sprintf("myTrail-e2e%d", n),
		admins:    []string{student},
		users:     []string{student},
	}
	l.trailARN = fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", region, account, l.trailName)

	key, err := c.kms.CreateKey(ctx, &kms.CreateKeyInput{
		Description: aws.String("KMS Key for S3 data"),
		KeyUsage:    kmstypes.KeyUsageTypeEncryptDecrypt,
		KeySpec:     kmstypes.KeySpecSymmetricDefault,
	})
	require.NoError(t, err, "CreateKey")
	l.keyID, l.keyARN = aws.ToString(key.KeyMetadata.KeyId), aws.ToString(key.KeyMetadata.Arn)
	_, err = c.kms.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{
		KeyId: aws.String(l.keyID), PolicyName: aws.String("default"), Policy: aws.String(consoleKeyPolicy(l.admins, l.users)),
	})
	require.NoError(t, err, "PutKeyPolicy")
	_, err = c.kms.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(l.keyID)})
	require.NoError(t, err, "EnableKeyRotation")
	_, err = c.kms.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(l.alias), TargetKeyId: aws.String(l.keyID)})
	require.NoError(t, err, "CreateAlias")

	b := aws.String(l.bucket)
	_, err = c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: b,
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}})
	require.NoError(t, err, "CreateBucket")
	_, err = c.s3.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: b,
		OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerPreferred}}}})
	require.NoError(t, err, "PutBucketOwnershipControls")
	_, err = c.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: b,
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(false), IgnorePublicAcls: aws.Bool(false), BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}})
	require.NoError(t, err, "PutPublicAccessBlock")
	_, err = c.s3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: b,
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{
			{ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}}}}})
	require.NoError(t, err, "PutBucketEncryption")
	_, err = c.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: b, Policy: aws.String(cloudTrailBucketPolicy(l.bucket, l.trailARN))})
	require.NoError(t, err, "PutBucketPolicy")

	_, err = c.ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String(l.trailName), S3BucketName: b,
		IsMultiRegionTrail: aws.Bool(true), IncludeGlobalServiceEvents: aws.Bool(true), EnableLogFileValidation: aws.Bool(true)})
	require.NoError(t, err, "CreateTrail")
	_, err = c.ct.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(l.trailName),
		EventSelectors: []cttypes.EventSelector{{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true),
			DataResources: []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3"}}}}}})
	require.NoError(t, err, "PutEventSelectors")
	_, err = c.ct.PutInsightSelectors(ctx, &cloudtrail.PutInsightSelectorsInput{TrailName: aws.String(l.trailName),
		InsightSelectors: []cttypes.InsightSelector{{InsightType: cttypes.InsightTypeApiCallRateInsight}, {InsightType: cttypes.InsightTypeApiErrorRateInsight}}})
	require.NoError(t, err, "PutInsightSelectors")
	_, err = c.ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(l.trailName)})
	require.NoError(t, err, "StartLogging")

	_, err = c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: b, Key: aws.String(l.objectKey), Body: bytes.NewReader(pngBytes),
		ContentType: aws.String("image/png"), ServerSideEncryption: s3types.ServerSideEncryptionAwsKms,
		SSEKMSKeyId: aws.String(l.keyARN), BucketKeyEnabled: aws.Bool(false), ACL: s3types.ObjectCannedACLPublicRead})
	require.NoError(t, err, "PutObject")
	head, err := c.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: b, Key: aws.String(l.objectKey)})
	require.NoError(t, err, "HeadObject")
	l.uploaded = aws.ToTime(head.LastModified)
	return l
}

// outputs is what `pulumi stack output --json` prints for this lab.
func (l *lab) outputs() map[string]any {
	return map[string]any{
		"accountId": account, "region": region, "partition": partition,
		"keyId": l.keyID, "keyArn": l.keyARN, "keyAlias": l.alias,
		"keyAdministrators": l.admins, "keyUsers": l.users, "keyRotationEnabled": true,
		"bucketName": l.bucket, "objectOwnership": "BucketOwnerPreferred",
		"publicAccessBlock": map[string]bool{"blockPublicAcls": false, "ignorePublicAcls": false, "blockPublicPolicy": true, "restrictPublicBuckets": true},
		"bucketEncryption":  "AES256", "objectKey": l.objectKey,
		"objectUrl":       fmt.Sprintf("https://%s.s3.%s.amazonaws.com/%s", l.bucket, region, l.objectKey),
		"publicObjectAcl": true, "trailName": l.trailName, "trailArn": l.trailARN,
		"dataEvents": true, "insightTypes": []string{"ApiCallRateInsight", "ApiErrorRateInsight"},
		"logPrefix":   fmt.Sprintf("AWSLogs/%s/CloudTrail/%s/", account, region),
		"consoleUrls": map[string]string{"key": "https://console.aws.amazon.com/kms/home"},
		"stackSecret": "[secret]",
	}
}

// writeOutputs saves outputs as a file and returns its path.
func writeOutputs(t *testing.T, outputs map[string]any) string {
	t.Helper()
	data, err := json.MarshalIndent(outputs, "", "  ")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "outputs.json")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}

// consoleKeyPolicy is the key policy the KMS console writes (and the stack
// reproduces) for the given administrators and users.
func consoleKeyPolicy(admins, users []string) string {
	statements := []map[string]any{{
		"Sid": "Enable IAM User Permissions", "Effect": "Allow",
		"Principal": map[string]any{"AWS": "arn:aws:iam::" + account + ":root"},
		"Action":    "kms:*", "Resource": "*",
	}}
	if len(admins) > 0 {
		statements = append(statements, map[string]any{
			"Sid": "Allow access for Key Administrators", "Effect": "Allow",
			"Principal": map[string]any{"AWS": admins},
			"Action": []string{"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
				"kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
				"kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand"},
			"Resource": "*",
		})
	}
	if len(users) > 0 {
		statements = append(statements, map[string]any{
			"Sid": "Allow use of the key", "Effect": "Allow",
			"Principal": map[string]any{"AWS": users},
			"Action":    []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
			"Resource":  "*",
		}, map[string]any{
			"Sid": "Allow attachment of persistent resources", "Effect": "Allow",
			"Principal": map[string]any{"AWS": users},
			"Action":    []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"},
			"Resource":  "*",
			"Condition": map[string]any{"Bool": map[string]any{"kms:GrantIsForAWSResource": "true"}},
		})
	}
	data, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Id": "key-consolepolicy-3", "Statement": statements})
	return string(data)
}

// cloudTrailBucketPolicy lets only this trail deliver logs.
func cloudTrailBucketPolicy(bucket, trailARN string) string {
	src := map[string]any{"aws:SourceArn": trailARN}
	data, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow",
			"Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
			"Action":    "s3:GetBucketAcl", "Resource": "arn:aws:s3:::" + bucket,
			"Condition": map[string]any{"StringEquals": src},
		}, {
			"Sid": "AWSCloudTrailWrite", "Effect": "Allow",
			"Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
			"Action":    "s3:PutObject", "Resource": "arn:aws:s3:::" + bucket + "/AWSLogs/" + account + "/*",
			"Condition": map[string]any{"StringEquals": map[string]any{"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailARN}},
		}},
	})
	return string(data)
}
