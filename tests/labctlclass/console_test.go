package labctlclass_test

import (
	"context"
	"fmt"
	"math/rand/v2"
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
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/cloudtrailtest"
	"github.com/kms-lab/kms-lab/internal/testenv/console"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// instructorRole is the role every stack file assumes in its lab account.
const instructorRole = "kms-lab-instructor"

// pngBytes is a 1x1 PNG, so the object is an image as in the lab.
var pngBytes = []byte{
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
	0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
	0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
	0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
}

// sdk are the clients a student's console session stands for.
type sdk struct {
	s3  *s3.Client
	kms *kms.Client
	ct  *cloudtrail.Client
}

// accountClients reaches account through moto's sts:AssumeRole, which
// gives the session that account's resources (verified with the moto
// installed here: a key created through the session has the account in its
// ARN, and the default account does not see it). The default account's
// own clients use moto's static test credentials.
func accountClients(t testing.TB, endpoint, account, region string) sdk {
	t.Helper()
	cfg := aws.Config{Region: region, BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}
	if account != "123456789012" {
		s, err := mototest.AssumeRole(context.Background(), endpoint, region, fmt.Sprintf("arn:aws:iam::%s:role/%s", account, instructorRole), "console")
		require.NoError(t, err, "AssumeRole")
		cfg = s.Config
	}
	return sdk{
		s3:  s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
		kms: kms.NewFromConfig(cfg),
		ct:  cloudtrail.NewFromConfig(cfg),
	}
}

// breakage is what a student left undone or did differently.
type breakage struct {
	imageSSES3    bool // task 3: kept the bucket's default encryption (SSE-S3)
	noInsights    bool // task 2: did not select Insights events
	neverRestored bool // task 6: removed themselves as a key user and never added themselves back
	notPublic     bool // task 4: skipped Block Public Access, Object Ownership and the public ACL
	noLogs        bool // task 5: no log file delivered yet
}

// handLab is a lab a student did by hand.
type handLab struct {
	account, region, student string
	keyID, keyARN            string
	bucket, trailARN         string
	objectKey                string
}

var bucketSeq atomic.Int64

// buildHandLab does the lab's six tasks as the console does them, with the
// same API calls in the same order, leaving out what b says.
func buildHandLab(t testing.TB, c sdk, account, region string, b breakage) *handLab {
	t.Helper()
	ctx := context.Background()
	l := &handLab{account: account, region: region, objectKey: "Eiffel.jpg",
		student: fmt.Sprintf("arn:aws:iam::%s:user/AWSLabsUser-%s", account, account[:4])}

	// Task 1: Create a key (Symmetric, Encrypt and decrypt), alias and
	// description, the student as administrator and user. The console
	// sends the policy with CreateKey, then CreateAlias.
	key, err := c.kms.CreateKey(ctx, &kms.CreateKeyInput{
		Description: aws.String("KMS Key for S3 data"), KeySpec: kmstypes.KeySpecSymmetricDefault,
		KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt, Policy: aws.String(console.KeyPolicy(account, l.student, []string{l.student})),
	})
	require.NoError(t, err, "CreateKey")
	l.keyID, l.keyARN = aws.ToString(key.KeyMetadata.KeyId), aws.ToString(key.KeyMetadata.Arn)
	_, err = c.kms.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/myFirstKey"), TargetKeyId: key.KeyMetadata.KeyId})
	require.NoError(t, err, "CreateAlias")

	// Task 2: Create trail with a new bucket mycloudtrailbucketNUMBER:
	// the console creates the bucket, attaches CloudTrail's policy, creates
	// the trail (multi-region, log file validation on, SSE-KMS off), sets
	// basic event selectors and Insights, and starts logging.
	l.bucket = fmt.Sprintf("mycloudtrailbucket%d%s", 10000+bucketSeq.Add(1), account[:4])
	trailName := "myTrail"
	l.trailARN = fmt.Sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", region, account, trailName)
	bucket := aws.String(l.bucket)
	in := &s3.CreateBucketInput{Bucket: bucket}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
	}
	_, err = c.s3.CreateBucket(ctx, in)
	require.NoError(t, err, "CreateBucket")
	// New buckets have all four Block Public Access settings on and ACLs
	// disabled (BucketOwnerEnforced) by default since April 2023 (Amazon S3
	// User Guide, "Blocking public access to your Amazon S3 storage" and
	// "Controlling ownership of objects"); moto does not apply these
	// defaults, so the test sets them as AWS would.
	_, err = c.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: bucket,
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true),
			IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}})
	require.NoError(t, err, "default PutPublicAccessBlock")
	_, err = c.s3.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: bucket,
		OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerEnforced}}}})
	require.NoError(t, err, "default PutBucketOwnershipControls")
	// And SSE-S3 default encryption, which S3 applies to every bucket
	// (Amazon S3 User Guide, "Setting default server-side encryption
	// behavior for Amazon S3 buckets").
	_, err = c.s3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: bucket,
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{
			{ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAes256}}}}})
	require.NoError(t, err, "default PutBucketEncryption")
	_, err = c.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: bucket, Policy: aws.String(console.CloudTrailBucketPolicy(l.bucket, account, l.trailARN))})
	require.NoError(t, err, "PutBucketPolicy")
	_, err = c.ct.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String(trailName), S3BucketName: bucket,
		IsMultiRegionTrail: aws.Bool(true), IncludeGlobalServiceEvents: aws.Bool(true), EnableLogFileValidation: aws.Bool(true)})
	require.NoError(t, err, "CreateTrail")
	_, err = c.ct.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(trailName),
		EventSelectors: []cttypes.EventSelector{{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true),
			DataResources: []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3"}}}}}})
	require.NoError(t, err, "PutEventSelectors")
	if !b.noInsights {
		_, err = c.ct.PutInsightSelectors(ctx, &cloudtrail.PutInsightSelectorsInput{TrailName: aws.String(trailName),
			InsightSelectors: []cttypes.InsightSelector{{InsightType: cttypes.InsightTypeApiCallRateInsight}, {InsightType: cttypes.InsightTypeApiErrorRateInsight}}})
		require.NoError(t, err, "PutInsightSelectors")
	}
	_, err = c.ct.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(trailName)})
	require.NoError(t, err, "StartLogging")

	// Task 3: Upload with "Override bucket settings for default
	// encryption", SSE-KMS, myFirstKey.
	put := &s3.PutObjectInput{Bucket: bucket, Key: aws.String(l.objectKey), Body: bytesReader(pngBytes), ContentType: aws.String("image/jpeg")}
	if b.imageSSES3 {
		// "Use bucket settings for default encryption": S3 encrypts every
		// new object with SSE-S3 at least (Amazon S3 User Guide, "Setting
		// default server-side encryption behavior for Amazon S3 buckets").
		// moto applies no default, so the test asks for it.
		put.ServerSideEncryption = s3types.ServerSideEncryptionAes256
	} else {
		put.ServerSideEncryption, put.SSEKMSKeyId = s3types.ServerSideEncryptionAwsKms, aws.String(l.keyARN)
	}
	_, err = c.s3.PutObject(ctx, put)
	require.NoError(t, err, "PutObject")

	// Task 4: Block public access off, ACLs enabled, Make public using ACL.
	if !b.notPublic {
		_, err = c.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: bucket,
			PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(false),
				IgnorePublicAcls: aws.Bool(false), BlockPublicPolicy: aws.Bool(false), RestrictPublicBuckets: aws.Bool(false)}})
		require.NoError(t, err, "PutPublicAccessBlock")
		_, err = c.s3.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: bucket,
			OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerPreferred}}}})
		require.NoError(t, err, "PutBucketOwnershipControls")
		_, err = c.s3.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: bucket, Key: aws.String(l.objectKey), ACL: s3types.ObjectCannedACLPublicRead})
		require.NoError(t, err, "PutObjectAcl")
	}

	// Task 6: Key users > Remove, then Add: two PutKeyPolicy calls.
	_, err = c.kms.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: key.KeyMetadata.KeyId, PolicyName: aws.String("default"),
		Policy: aws.String(console.KeyPolicy(account, l.student, nil))})
	require.NoError(t, err, "PutKeyPolicy without the student")
	if !b.neverRestored {
		_, err = c.kms.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: key.KeyMetadata.KeyId, PolicyName: aws.String("default"),
			Policy: aws.String(console.KeyPolicy(account, l.student, []string{l.student}))})
		require.NoError(t, err, "PutKeyPolicy with the student")
	}
	return l
}

// labRecords are the records of the student's lab activity, oldest first,
// ending at end: the upload (S3 PutObject, KMS GenerateDataKey for an
// SSE-KMS upload), opening the image (GetObject, Decrypt), and task 6's two
// PutKeyPolicy calls (one if the student was never restored).
func labRecords(l *handLab, b breakage, end time.Time, rng *rand.Rand) []map[string]any {
	ct := cloudtrailtest.Lab{AccountID: l.account, Region: l.region, Partition: "aws", KeyID: l.keyID,
		Bucket: l.bucket, ObjectKey: l.objectKey, UserName: l.student[len("arn:aws:iam::123456789012:user/"):], SourceIP: "198.51.100.7"}
	at := func(ago time.Duration) time.Time { return end.Add(-ago) }
	id := func() string { return cloudtrailtest.EventID(rng) }
	var recs []map[string]any
	put := ct.PutObject(at(150*time.Second), id())
	if b.imageSSES3 {
		put["requestParameters"] = map[string]any{"bucketName": l.bucket, "key": l.objectKey}
		put["responseElements"] = map[string]any{"x-amz-server-side-encryption": "AES256"}
	} else {
		recs = append(recs, ct.GenerateDataKey(at(151*time.Second), id()))
	}
	recs = append(recs, put, ct.GetObject(at(120*time.Second), id()))
	if !b.imageSSES3 {
		recs = append(recs, ct.Decrypt(at(119*time.Second), id()))
	}
	recs = append(recs, cloudtrailtest.PutKeyPolicyRecord(l.key(), at(60*time.Second), id(), nil))
	if !b.neverRestored {
		recs = append(recs, cloudtrailtest.PutKeyPolicyRecord(l.key(), at(30*time.Second), id(), []string{l.student}))
	}
	return recs
}

// seedLogs delivers records as CloudTrail does: gzipped files under
// AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/, stamped at delivery,
// with unrelated account activity around them.
func seedLogs(t testing.TB, c sdk, l *handLab, recs []map[string]any, delivered time.Time, rng *rand.Rand) {
	t.Helper()
	ct := cloudtrailtest.Lab{AccountID: l.account, Region: l.region, Partition: "aws", KeyID: l.keyID,
		Bucket: l.bucket, ObjectKey: l.objectKey, UserName: "someone-else", SourceIP: "203.0.113.9"}
	all := append([]map[string]any{}, recs...)
	for range 20 {
		all = append(all, ct.Noise(rng, delivered.Add(-3*time.Minute), cloudtrailtest.EventID(rng)))
	}
	body, err := cloudtrailtest.Gzip(all)
	require.NoError(t, err)
	_, err = c.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(l.bucket),
		Key: aws.String(cloudtrailtest.LogFileKey(l.account, l.region, delivered, rng)), Body: bytesReader(body)})
	require.NoError(t, err, "seeding a log file")
}

// accountSession returns access key, secret and token of a session in
// account (moto's sts:AssumeRole).
func accountSession(t testing.TB, endpoint, account string) [3]string {
	t.Helper()
	s, err := mototest.AssumeRole(context.Background(), endpoint, "us-east-1", fmt.Sprintf("arn:aws:iam::%s:role/%s", account, instructorRole), "checker")
	require.NoError(t, err, "AssumeRole")
	return [3]string{s.Credentials.AccessKeyID, s.Credentials.SecretAccessKey, s.Credentials.SessionToken}
}

// callerARN is who moto's static test credentials are.
func callerARN(t testing.TB, endpoint string) string {
	t.Helper()
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	require.NoError(t, err, "GetCallerIdentity")
	return aws.ToString(out.Arn)
}

// key is l's key as cloudtrailtest.PutKeyPolicyRecord names it.
func (l *handLab) key() cloudtrailtest.Key {
	return cloudtrailtest.Key{Account: l.account, Region: l.region, Student: l.student, ID: l.keyID, ARN: l.keyARN}
}
