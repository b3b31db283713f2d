// Package handlab builds, on moto, a lab a student did by hand in the AWS
// console: the lab guide's tasks ("Introduction to AWS Key Management
// Service") as the API calls the console makes, in its order, with the
// policies the consoles write (internal/testenv/console). Build does the
// whole lab or leaves out or changes what Options says; the steps it is
// made of (a key, a trail with its new bucket, log files) are there for
// tests that build an account's other resources the same way.
//
// It is the fixture of the end-to-end tests that grade, snapshot or clean
// a lab done by hand; the program's own lab is applied by emulatorapply.
package handlab

import (
	"context"
	"fmt"
	"strings"
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

// Console is a student's console session in one account, with the console
// in one region: the clients its pages call.
type Console struct {
	Account, Region string
	S3              *s3.Client
	KMS             *kms.Client
	CloudTrail      *cloudtrail.Client
	cfg             aws.Config
}

// NewConsole is a console session with cfg's credentials and region, in
// account. S3 is path-style: moto on a loopback port has no bucket host
// names.
func NewConsole(cfg aws.Config, account string) *Console {
	return &Console{Account: account, Region: cfg.Region, cfg: cfg,
		S3:         s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
		KMS:        kms.NewFromConfig(cfg),
		CloudTrail: cloudtrail.NewFromConfig(cfg),
	}
}

// ConsoleOf is a console session of s, in s's account and region.
func ConsoleOf(s *mototest.Session) *Console { return NewConsole(s.Config, s.AccountID) }

// In is the same session with the console switched to region.
func (c *Console) In(region string) *Console {
	cfg := c.cfg.Copy()
	cfg.Region = region
	return NewConsole(cfg, c.Account)
}

// CreateKey is task 1, steps 2 to 12: a symmetric encrypt-and-decrypt key
// with the guide's description, admin as its administrator and user (the
// KMS console's default key policy, sent with CreateKey), then its alias.
// It returns the key's ID and ARN.
func (c *Console) CreateKey(t testing.TB, alias, admin string) (string, string) {
	t.Helper()
	ctx := context.Background()
	key, err := c.KMS.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("KMS Key for S3 data"),
		KeySpec: kmstypes.KeySpecSymmetricDefault, KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt,
		Policy: aws.String(console.KeyPolicy(c.Account, admin, []string{admin}))})
	require.NoError(t, err, "CreateKey in %s", c.Account)
	_, err = c.KMS.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(alias), TargetKeyId: key.KeyMetadata.KeyId})
	require.NoError(t, err, "CreateAlias %s in %s", alias, c.Account)
	return aws.ToString(key.KeyMetadata.KeyId), aws.ToString(key.KeyMetadata.Arn)
}

// CreateBucket creates a bucket in the console's region with what S3 gives
// every new bucket: all four Block Public Access settings on and ACLs
// disabled (BucketOwnerEnforced) since April 2023 (Amazon S3 User Guide,
// "Blocking public access to your Amazon S3 storage", "Controlling
// ownership of objects"), and SSE-S3 default encryption ("Setting default
// server-side encryption behavior for Amazon S3 buckets"). moto applies
// none of these by itself.
func (c *Console) CreateBucket(t testing.TB, name string) {
	t.Helper()
	ctx := context.Background()
	bucket := aws.String(name)
	in := &s3.CreateBucketInput{Bucket: bucket}
	if c.Region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(c.Region)}
	}
	_, err := c.S3.CreateBucket(ctx, in)
	require.NoError(t, err, "CreateBucket %s", name)
	c.publicAccess(t, name, true)
	_, err = c.S3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: bucket,
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{
			{ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}}}}})
	require.NoError(t, err, "default PutBucketEncryption %s", name)
}

// publicAccess sets the four Block Public Access settings to block, and
// Object Ownership to match: BucketOwnerEnforced (ACLs disabled) when
// blocking, BucketOwnerPreferred ("ACLs enabled") when not.
func (c *Console) publicAccess(t testing.TB, bucket string, block bool) {
	t.Helper()
	ctx := context.Background()
	_, err := c.S3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(bucket),
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(block),
			IgnorePublicAcls: aws.Bool(block), BlockPublicPolicy: aws.Bool(block), RestrictPublicBuckets: aws.Bool(block)}})
	require.NoError(t, err, "PutPublicAccessBlock %s", bucket)
	owner := s3types.ObjectOwnershipBucketOwnerPreferred
	if block {
		owner = s3types.ObjectOwnershipBucketOwnerEnforced
	}
	_, err = c.S3.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String(bucket),
		OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: owner}}}})
	require.NoError(t, err, "PutBucketOwnershipControls %s", bucket)
}

// CreateTrail is task 2, steps 3 to 12, with the console in c's region: a
// new bucket there with CloudTrail's bucket policy, the trail
// (multi-region, log file validation on, SSE-KMS off), management and S3
// data events with basic event selectors, both Insights types unless
// noInsights, and logging started. It returns the trail's ARN, which names
// the region it was created in: its home region (AWS CloudTrail User
// Guide, "How shadow trails work").
func (c *Console) CreateTrail(t testing.TB, name, bucket string, noInsights bool) string {
	t.Helper()
	ctx := context.Background()
	trailARN := fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", c.Region, c.Account, name)
	c.CreateBucket(t, bucket)
	_, err := c.S3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket),
		Policy: aws.String(console.CloudTrailBucketPolicy(bucket, c.Account, trailARN))})
	require.NoError(t, err, "PutBucketPolicy %s", bucket)
	_, err = c.CloudTrail.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String(name), S3BucketName: aws.String(bucket),
		IsMultiRegionTrail: aws.Bool(true), IncludeGlobalServiceEvents: aws.Bool(true), EnableLogFileValidation: aws.Bool(true)})
	require.NoError(t, err, "CreateTrail %s in %s", name, c.Region)
	_, err = c.CloudTrail.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(name),
		EventSelectors: []cttypes.EventSelector{{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true),
			DataResources: []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3"}}}}}})
	require.NoError(t, err, "PutEventSelectors %s", name)
	if !noInsights {
		_, err = c.CloudTrail.PutInsightSelectors(ctx, &cloudtrail.PutInsightSelectorsInput{TrailName: aws.String(name),
			InsightSelectors: []cttypes.InsightSelector{{InsightType: cttypes.InsightTypeApiCallRateInsight}, {InsightType: cttypes.InsightTypeApiErrorRateInsight}}})
		require.NoError(t, err, "PutInsightSelectors %s", name)
	}
	_, err = c.CloudTrail.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(name)})
	require.NoError(t, err, "StartLogging %s", name)
	return trailARN
}

// PutLogFiles puts n log files with no records in bucket, where CloudTrail
// delivers the console region's files (moto delivers none), for tests that
// need only their number.
func (c *Console) PutLogFiles(t testing.TB, bucket string, n int) {
	t.Helper()
	for i := range n {
		key := fmt.Sprintf("AWSLogs/%s/CloudTrail/%s/2026/01/15/%s_CloudTrail_%s_20260115T10%02dZ_%05d.json.gz", c.Account, c.Region, c.Account, c.Region, i%60, i)
		_, err := c.S3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
			Body: strings.NewReader(`{"Records":[]}`)})
		require.NoError(t, err, "PutObject %s", key)
	}
}
