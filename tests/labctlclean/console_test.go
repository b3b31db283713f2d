package labctlclean_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/console"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// instructorRole is the role every stack file assumes in its lab account.
const instructorRole = "kms-lab-instructor"

// sdk are the clients a student's console session stands for.
type sdk struct {
	s3  *s3.Client
	kms *kms.Client
	ct  *cloudtrail.Client
}

// accountSDK reaches account through moto's sts:AssumeRole, which gives the
// session that account's resources.
func accountSDK(t testing.TB, endpoint, account, region string) sdk {
	t.Helper()
	s, err := mototest.AssumeRole(context.Background(), endpoint, region, roleARN(account), "console")
	require.NoError(t, err, "AssumeRole")
	return sdk{
		s3:  s3.NewFromConfig(s.Config, func(o *s3.Options) { o.UsePathStyle = true }),
		kms: kms.NewFromConfig(s.Config),
		ct:  cloudtrail.NewFromConfig(s.Config),
	}
}

func roleARN(account string) string {
	return fmt.Sprintf("arn:aws:iam::%s:role/%s", account, instructorRole)
}

// lab is what a student made by hand.
type lab struct {
	keyID, bucket, trailARN string
}

var bucketSeq atomic.Int64

// newBucketName is a name as the console suggests it, the prefix and a
// number, unique on the shared server.
func newBucketName(prefix, account string) string {
	return fmt.Sprintf("%s%d%s", prefix, 10000+bucketSeq.Add(1), account[:4])
}

func createBucket(t testing.TB, c sdk, name, region string) {
	t.Helper()
	in := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
	}
	_, err := c.s3.CreateBucket(context.Background(), in)
	require.NoError(t, err, "CreateBucket %s", name)
}

// consoleKeyPolicy is the first statement of the KMS console's default key
// policy (AWS KMS Developer Guide, "Default key policy"): enough for a key
// that is only deleted here.
func consoleKeyPolicy(account string) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Id": "key-consolepolicy-3", "Statement": []map[string]any{
		{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::" + account + ":root"},
			"Action": "kms:*", "Resource": "*"}}})
	return string(b)
}

// createKey is task 1: a symmetric key with a description and an alias.
func createKey(t testing.TB, c sdk, account, alias string) string {
	t.Helper()
	ctx := context.Background()
	key, err := c.kms.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("KMS Key for S3 data"),
		KeySpec: kmstypes.KeySpecSymmetricDefault, KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt, Policy: aws.String(consoleKeyPolicy(account))})
	require.NoError(t, err, "CreateKey")
	_, err = c.kms.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(alias), TargetKeyId: key.KeyMetadata.KeyId})
	require.NoError(t, err, "CreateAlias %s", alias)
	return aws.ToString(key.KeyMetadata.KeyId)
}

// createTrail is task 2: a new bucket with CloudTrail's policy, a
// multi-region trail writing to it, management and S3 data events (basic
// selectors), both Insights types, logging started.
func createTrail(t testing.TB, c sdk, account, region, name, bucket string) string {
	t.Helper()
	ctx := context.Background()
	trailARN := fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", region, account, name)
	createBucket(t, c, bucket, region)
	_, err := c.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket), Policy: aws.String(console.CloudTrailBucketPolicy(bucket, account, trailARN))})
	require.NoError(t, err, "PutBucketPolicy")
	_, err = c.ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String(name), S3BucketName: aws.String(bucket),
		IsMultiRegionTrail: aws.Bool(true), IncludeGlobalServiceEvents: aws.Bool(true), EnableLogFileValidation: aws.Bool(true)})
	require.NoError(t, err, "CreateTrail")
	_, err = c.ct.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(name),
		EventSelectors: []cttypes.EventSelector{{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true),
			DataResources: []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3"}}}}}})
	require.NoError(t, err, "PutEventSelectors")
	_, err = c.ct.PutInsightSelectors(ctx, &cloudtrail.PutInsightSelectorsInput{TrailName: aws.String(name),
		InsightSelectors: []cttypes.InsightSelector{{InsightType: cttypes.InsightTypeApiCallRateInsight}, {InsightType: cttypes.InsightTypeApiErrorRateInsight}}})
	require.NoError(t, err, "PutInsightSelectors")
	_, err = c.ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(name)})
	require.NoError(t, err, "StartLogging")
	return trailARN
}

// putLogFiles puts n objects where CloudTrail delivers log files (moto
// delivers none).
func putLogFiles(t testing.TB, c sdk, bucket, account, region string, n int) {
	t.Helper()
	for i := range n {
		key := fmt.Sprintf("AWSLogs/%s/CloudTrail/%s/2026/01/15/%s_CloudTrail_%s_20260115T10%02dZ_%05d.json.gz", account, region, account, region, i%60, i)
		_, err := c.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
			Body: bytes.NewReader([]byte(`{"Records":[]}`))})
		require.NoError(t, err, "PutObject %s", key)
	}
}

// buildLab does tasks 1 to 3 as the console does, with a few log files.
func buildLab(t testing.TB, c sdk, account, region string) *lab {
	t.Helper()
	l := &lab{bucket: newBucketName("mycloudtrailbucket", account)}
	l.keyID = createKey(t, c, account, "alias/myFirstKey")
	l.trailARN = createTrail(t, c, account, region, "myTrail", l.bucket)
	_, err := c.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(l.bucket), Key: aws.String("Eiffel.jpg"),
		Body: bytes.NewReader([]byte("jpeg")), ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(l.keyID)})
	require.NoError(t, err, "PutObject Eiffel.jpg")
	putLogFiles(t, c, l.bucket, account, region, 5)
	return l
}
