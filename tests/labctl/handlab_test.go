package labctl_test

import (
	"bytes"
	"context"
	"fmt"
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
	"github.com/kms-lab/kms-lab/internal/testenv/motoserver"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// handLab is a lab a student did by hand in the console, in region, with
// the trail created while the console was in trailRegion.
type handLab struct {
	*lab
	student     string
	trailRegion string
	trailARN    string
}

// newHandLab does tasks 1 to 4 and task 6 as the console does them, in the
// test's own account. A multi-region trail created while the console is in
// trailRegion is homed there (AWS CloudTrail User Guide, "How shadow trails
// work": "the Region where you created the trail is the home Region"); the
// lab's region then sees it as a shadow trail.
func newHandLab(t *testing.T, moto *motoserver.Server, trailRegion string) *handLab {
	t.Helper()
	ctx := context.Background()
	s, err := mototest.AssumeRole(ctx, moto.URL, region,
		"arn:aws:iam::"+mototest.AccountFor(t, accountLead)+":role/"+deployerRole, "console")
	require.NoError(t, err)
	creds, err := s.Config.Credentials.Retrieve(ctx)
	require.NoError(t, err)
	c := newSDK(s.Config)
	trailCfg := s.Config.Copy()
	trailCfg.Region = trailRegion
	ct := cloudtrail.NewFromConfig(trailCfg)

	account := s.AccountID
	h := &handLab{lab: &lab{account: account, caller: s.CallerARN, credentials: creds, sdk: c,
		alias: "alias/myFirstKey", objectKey: "Eiffel.jpg", trailName: "myTrail",
		bucket: "mycloudtrailbucket" + account[len(account)-6:]},
		student: "arn:aws:iam::" + account + ":user/" + studentName, trailRegion: trailRegion}
	h.trailARN = fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/myTrail", trailRegion, account)

	// Task 1: the key, its alias and description, the student as key
	// administrator and key user.
	key, err := c.kms.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("KMS Key for S3 data"),
		KeySpec: kmstypes.KeySpecSymmetricDefault, KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt,
		Policy: aws.String(console.KeyPolicy(account, h.student, []string{h.student}))})
	require.NoError(t, err, "CreateKey")
	h.keyID, h.keyARN = aws.ToString(key.KeyMetadata.KeyId), aws.ToString(key.KeyMetadata.Arn)
	_, err = c.kms.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(h.alias), TargetKeyId: key.KeyMetadata.KeyId})
	require.NoError(t, err, "CreateAlias")

	// Task 2: the bucket in the lab's region, CloudTrail's policy on it, the
	// trail in trailRegion with S3 data events, Insights, and logging on.
	bucket := aws.String(h.bucket)
	_, err = c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket,
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}})
	require.NoError(t, err, "CreateBucket")
	_, err = c.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: bucket, Policy: aws.String(console.CloudTrailBucketPolicy(h.bucket, account, h.trailARN))})
	require.NoError(t, err, "PutBucketPolicy")
	name := aws.String(h.trailName)
	_, err = ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: name, S3BucketName: bucket,
		IsMultiRegionTrail: aws.Bool(true), IncludeGlobalServiceEvents: aws.Bool(true), EnableLogFileValidation: aws.Bool(true)})
	require.NoError(t, err, "CreateTrail in %s", trailRegion)
	_, err = ct.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: name,
		EventSelectors: []cttypes.EventSelector{{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true),
			DataResources: []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3"}}}}}})
	require.NoError(t, err, "PutEventSelectors")
	_, err = ct.PutInsightSelectors(ctx, &cloudtrail.PutInsightSelectorsInput{TrailName: name,
		InsightSelectors: []cttypes.InsightSelector{{InsightType: cttypes.InsightTypeApiCallRateInsight}, {InsightType: cttypes.InsightTypeApiErrorRateInsight}}})
	require.NoError(t, err, "PutInsightSelectors")
	_, err = ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: name})
	require.NoError(t, err, "StartLogging")

	// Task 3: the image, SSE-KMS with the key.
	_, err = c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String(h.objectKey), Body: bytes.NewReader([]byte("\x89PNG")),
		ContentType: aws.String("image/jpeg"), ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(h.keyARN)})
	require.NoError(t, err, "PutObject")

	// Task 4: Block Public Access off, ACLs enabled, the image public.
	_, err = c.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: bucket,
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(false),
			IgnorePublicAcls: aws.Bool(false), BlockPublicPolicy: aws.Bool(false), RestrictPublicBuckets: aws.Bool(false)}})
	require.NoError(t, err, "PutPublicAccessBlock")
	_, err = c.s3.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: bucket,
		OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerPreferred}}}})
	require.NoError(t, err, "PutBucketOwnershipControls")
	_, err = c.s3.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: bucket, Key: aws.String(h.objectKey), ACL: s3types.ObjectCannedACLPublicRead})
	require.NoError(t, err, "PutObjectAcl")
	return h
}
