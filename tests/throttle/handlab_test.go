package throttle_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/cloudtrailtest"
	"github.com/kms-lab/kms-lab/internal/testenv/console"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// instructorRole is the role a class's stack files assume in each lab
// account, and the checker's session in a lab account.
const instructorRole = "kms-lab-instructor"

// handLab is a complete lab a student did by hand in the console.
type handLab struct {
	account, region, student string
	keyID, keyARN            string
	bucket                   string
	objectKey                string
}

// handClients are the clients a student's console session stands for.
type handClients struct {
	s3  *s3.Client
	kms *kms.Client
	ct  *cloudtrail.Client
}

// accountSession is a session in account through moto's sts:AssumeRole,
// which gives it that account's resources.
func accountSession(t testing.TB, motoURL, account, region string) *mototest.Session {
	t.Helper()
	s, err := mototest.AssumeRole(context.Background(), motoURL, region, fmt.Sprintf("arn:aws:iam::%s:role/%s", account, instructorRole), "console")
	require.NoError(t, err, "AssumeRole in %s", account)
	return s
}

// pngBytes is a 1x1 PNG: the object is an image, as in the lab.
var pngBytes = []byte{
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
	0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
	0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
	0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
}

// buildHandLab does the lab guide's six tasks in account as the console
// does them, with the same API calls in the same order, directly on moto
// (never through the throttling front), and delivers the log file
// CloudTrail would: every task done, so every task passes.
func buildHandLab(t testing.TB, motoURL, account, region string) *handLab {
	t.Helper()
	ctx := context.Background()
	cfg := accountSession(t, motoURL, account, region).Config
	c := handClients{s3: s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }), kms: kms.NewFromConfig(cfg), ct: cloudtrail.NewFromConfig(cfg)}
	l := &handLab{account: account, region: region, objectKey: "Eiffel.jpg",
		student: fmt.Sprintf("arn:aws:iam::%s:user/AWSLabsUser-%s", account, account[:4])}
	must := func(err error, what string) { require.NoError(t, err, "%s in %s", what, account) }

	// Task 1: a symmetric key with its alias, the student as administrator
	// and user.
	key, err := c.kms.CreateKey(ctx, &kms.CreateKeyInput{
		Description: aws.String("KMS Key for S3 data"), KeySpec: kmstypes.KeySpecSymmetricDefault,
		KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt, Policy: aws.String(console.KeyPolicy(account, l.student, []string{l.student})),
	})
	must(err, "CreateKey")
	l.keyID, l.keyARN = aws.ToString(key.KeyMetadata.KeyId), aws.ToString(key.KeyMetadata.Arn)
	_, err = c.kms.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/myFirstKey"), TargetKeyId: key.KeyMetadata.KeyId})
	must(err, "CreateAlias")

	// Task 2: the trail, multi-region with log file validation, management
	// and S3 data events, both Insights types, logging; its new bucket
	// with the defaults S3 gives every new bucket (all four Block Public
	// Access settings on, BucketOwnerEnforced, SSE-S3: Amazon S3 User
	// Guide), which moto does not apply by itself.
	l.bucket = "mycloudtrailbucket" + account
	trailName := "myTrail"
	trailARN := fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", region, account, trailName)
	bucket := aws.String(l.bucket)
	in := &s3.CreateBucketInput{Bucket: bucket}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
	}
	_, err = c.s3.CreateBucket(ctx, in)
	must(err, "CreateBucket")
	_, err = c.s3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: bucket,
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{
			{ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}}}}})
	must(err, "default PutBucketEncryption")
	_, err = c.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: bucket, Policy: aws.String(console.CloudTrailBucketPolicy(l.bucket, account, trailARN))})
	must(err, "PutBucketPolicy")
	_, err = c.ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String(trailName), S3BucketName: bucket,
		IsMultiRegionTrail: aws.Bool(true), IncludeGlobalServiceEvents: aws.Bool(true), EnableLogFileValidation: aws.Bool(true)})
	must(err, "CreateTrail")
	_, err = c.ct.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(trailName),
		EventSelectors: []cttypes.EventSelector{{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true),
			DataResources: []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3"}}}}}})
	must(err, "PutEventSelectors")
	_, err = c.ct.PutInsightSelectors(ctx, &cloudtrail.PutInsightSelectorsInput{TrailName: aws.String(trailName),
		InsightSelectors: []cttypes.InsightSelector{{InsightType: cttypes.InsightTypeApiCallRateInsight}, {InsightType: cttypes.InsightTypeApiErrorRateInsight}}})
	must(err, "PutInsightSelectors")
	_, err = c.ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(trailName)})
	must(err, "StartLogging")

	// Task 3: the image uploaded with SSE-KMS and myFirstKey.
	_, err = c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String(l.objectKey), Body: bytes.NewReader(pngBytes),
		ContentType: aws.String("image/jpeg"), ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(l.keyARN)})
	must(err, "PutObject")

	// Task 4: Block Public Access off, ACLs enabled, made public using ACL.
	_, err = c.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: bucket,
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(false),
			IgnorePublicAcls: aws.Bool(false), BlockPublicPolicy: aws.Bool(false), RestrictPublicBuckets: aws.Bool(false)}})
	must(err, "PutPublicAccessBlock")
	_, err = c.s3.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: bucket,
		OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerPreferred}}}})
	must(err, "PutBucketOwnershipControls")
	_, err = c.s3.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: bucket, Key: aws.String(l.objectKey), ACL: s3types.ObjectCannedACLPublicRead})
	must(err, "PutObjectAcl")

	// Task 6: Key users > Remove, then Add: two PutKeyPolicy calls.
	for _, users := range [][]string{nil, {l.student}} {
		_, err = c.kms.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: key.KeyMetadata.KeyId, PolicyName: aws.String("default"),
			Policy: aws.String(console.KeyPolicy(account, l.student, users))})
		must(err, "PutKeyPolicy")
	}

	// Task 5's and task 6's evidence: the log file CloudTrail delivers.
	body, err := cloudtrailtest.Gzip(l.records(time.Now().UTC(), rand.New(rand.NewPCG(17, 19))))
	require.NoError(t, err)
	_, err = c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket,
		Key: aws.String(cloudtrailtest.LogFileKey(account, region, time.Now().UTC(), rand.New(rand.NewPCG(23, 29)))), Body: bytes.NewReader(body)})
	must(err, "seeding a log file")
	return l
}

// records are what CloudTrail records of the student's lab, ending at end:
// the SSE-KMS upload (GenerateDataKey, PutObject), opening the image
// (GetObject, Decrypt) and task 6's two PutKeyPolicy calls, with other
// activity of the account around them.
func (l *handLab) records(end time.Time, rng *rand.Rand) []map[string]any {
	ct := cloudtrailtest.Lab{AccountID: l.account, Region: l.region, Partition: "aws", KeyID: l.keyID,
		Bucket: l.bucket, ObjectKey: l.objectKey, UserName: l.student[len("arn:aws:iam::123456789012:user/"):], SourceIP: "198.51.100.7"}
	at := func(ago time.Duration) time.Time { return end.Add(-ago) }
	id := func() string { return cloudtrailtest.EventID(rng) }
	recs := []map[string]any{
		ct.GenerateDataKey(at(151*time.Second), id()), ct.PutObject(at(150*time.Second), id()),
		ct.GetObject(at(120*time.Second), id()), ct.Decrypt(at(119*time.Second), id()),
		cloudtrailtest.PutKeyPolicyRecord(l.key(), at(60*time.Second), id(), nil), cloudtrailtest.PutKeyPolicyRecord(l.key(), at(30*time.Second), id(), []string{l.student}),
	}
	other := ct
	other.UserName, other.SourceIP = "someone-else", "203.0.113.9"
	for range 20 {
		recs = append(recs, other.Noise(rng, end.Add(-3*time.Minute), id()))
	}
	return recs
}

// key is l's key as cloudtrailtest.PutKeyPolicyRecord names it.
func (l *handLab) key() cloudtrailtest.Key {
	return cloudtrailtest.Key{Account: l.account, Region: l.region, Student: l.student, ID: l.keyID, ARN: l.keyARN}
}
