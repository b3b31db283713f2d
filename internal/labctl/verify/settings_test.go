package verify

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
	"github.com/stretchr/testify/assert"
)

func TestObjectEncryptionCheck(t *testing.T) {
	o := labOutputs()
	tests := []struct {
		name     string
		head     s3.HeadObjectOutput
		status   report.Status
		observed string
	}{
		{"key ARN, as AWS reports it", s3.HeadObjectOutput{ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(o.KeyARN)},
			report.Pass, "aws:kms with " + o.KeyARN},
		{"bare key ID, as moto reports it", s3.HeadObjectOutput{ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(o.KeyID)},
			report.Pass, "aws:kms with " + o.KeyID},
		{"another key", s3.HeadObjectOutput{ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String("arn:aws:kms:us-west-2:111122223333:key/ffff")},
			report.Fail, "aws:kms with arn:aws:kms:us-west-2:111122223333:key/ffff"},
		{"SSE-S3 instead", s3.HeadObjectOutput{ServerSideEncryption: s3types.ServerSideEncryptionAes256}, report.Fail, "AES256"},
		{"not encrypted", s3.HeadObjectOutput{}, report.Fail, "no server-side encryption"},
		{"S3 Bucket Key on", s3.HeadObjectOutput{ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(o.KeyARN), BucketKeyEnabled: aws.Bool(true)},
			report.Warn, "aws:kms with " + o.KeyARN + ", S3 Bucket Key on (KMS events name the bucket, not the image)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := headCheck(&tt.head, o)
			assert.Equal(t, tt.status, c.Status)
			assert.Equal(t, tt.observed, c.Observed)
			assert.Equal(t, "aws:kms with "+o.KeyARN, c.Expected)
		})
	}
}

func TestDescribeACL(t *testing.T) {
	owner := s3types.Grant{Grantee: &s3types.Grantee{Type: s3types.TypeCanonicalUser, ID: aws.String("owner")}, Permission: s3types.PermissionFullControl}
	read := s3types.Grant{Grantee: &s3types.Grantee{Type: s3types.TypeGroup, URI: aws.String(allUsers)}, Permission: s3types.PermissionRead}
	write := s3types.Grant{Grantee: &s3types.Grantee{Type: s3types.TypeGroup, URI: aws.String(allUsers)}, Permission: s3types.PermissionWrite}
	assert.Equal(t, "public-read (AllUsers READ)", aclText([]s3types.Grant{owner, read}))
	assert.Equal(t, "private (no AllUsers grant)", aclText([]s3types.Grant{owner}))
	assert.Equal(t, "AllUsers READ, WRITE", aclText([]s3types.Grant{owner, read, write}))
}

func TestKeyMetadataChecks(t *testing.T) {
	o := labOutputs()
	md := &kmstypes.KeyMetadata{Arn: aws.String(o.KeyARN), KeyState: kmstypes.KeyStateEnabled,
		KeySpec: kmstypes.KeySpecSymmetricDefault, KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt}
	got := byName(keyMetadataChecks(account.KeyMetadataOf(md), o.KeyARN))
	assert.Equal(t, report.Pass, got["key.exists"].Status)
	assert.Equal(t, report.Pass, got["key.state"].Status)
	assert.Equal(t, "SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT", got["key.spec"].Observed)

	deletion := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	md = &kmstypes.KeyMetadata{Arn: aws.String(o.KeyARN), KeyState: kmstypes.KeyStatePendingDeletion, DeletionDate: &deletion,
		KeySpec: kmstypes.KeySpecRsa2048, KeyUsage: kmstypes.KeyUsageTypeSignVerify}
	got = byName(keyMetadataChecks(account.KeyMetadataOf(md), o.KeyARN))
	assert.Equal(t, Check{Name: "key.state", Status: report.Fail, Expected: "Enabled", Observed: "PendingDeletion (deletion on 2026-12-03)"}, got["key.state"])
	assert.Equal(t, Check{Name: "key.spec", Status: report.Fail, Expected: "SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT", Observed: "RSA_2048, SIGN_VERIFY"}, got["key.spec"])

	// moto leaves KeyUsage out for keys created without one.
	md = &kmstypes.KeyMetadata{Arn: aws.String(o.KeyARN), KeyState: kmstypes.KeyStateEnabled, KeySpec: kmstypes.KeySpecSymmetricDefault,
		EncryptionAlgorithms: []kmstypes.EncryptionAlgorithmSpec{kmstypes.EncryptionAlgorithmSpecSymmetricDefault}}
	got = byName(keyMetadataChecks(account.KeyMetadataOf(md), o.KeyARN))
	assert.Equal(t, report.Pass, got["key.spec"].Status)
	assert.Equal(t, "SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT (KeyUsage not reported; inferred from EncryptionAlgorithms)", got["key.spec"].Observed)
}

func TestTrailChecks(t *testing.T) {
	o := labOutputs()
	good := &cttypes.Trail{TrailARN: aws.String(o.TrailARN), S3BucketName: aws.String(o.BucketName),
		IsMultiRegionTrail: aws.Bool(true), IncludeGlobalServiceEvents: aws.Bool(true), LogFileValidationEnabled: aws.Bool(true)}
	for _, c := range trailSettingsChecks(account.TrailOf(*good, "us-west-2"), o) {
		assert.Equal(t, report.Pass, c.Status, "%+v", c)
	}
	single := *good
	single.IsMultiRegionTrail = aws.Bool(false)
	single.LogFileValidationEnabled = aws.Bool(false)
	got := byName(trailSettingsChecks(account.TrailOf(single, "us-west-2"), o))
	assert.Equal(t, "single-region, with global service events", got["trail.multi-region"].Observed)
	assert.Equal(t, report.Fail, got["trail.log-file-validation"].Status)

	selectors := func(data bool) *cloudtrail.GetEventSelectorsOutput {
		s := cttypes.EventSelector{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true)}
		if data {
			s.DataResources = []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3"}}}
		}
		return &cloudtrail.GetEventSelectorsOutput{EventSelectors: []cttypes.EventSelector{s}}
	}
	assert.Equal(t, Check{Name: "trail.event-selectors", Status: report.Pass, Expected: "ReadWriteType=All, management events, data events AWS::S3::Object [arn:aws:s3]",
		Observed: "ReadWriteType=All, management events, data events AWS::S3::Object [arn:aws:s3]"}, selCheck(selectors(true), o))
	c := selCheck(selectors(false), o)
	assert.Equal(t, report.Fail, c.Status)
	assert.Equal(t, "ReadWriteType=All, management events", c.Observed)
	o.DataEvents = false
	assert.Equal(t, report.Pass, selCheck(selectors(false), o).Status)
	advanced := &cloudtrail.GetEventSelectorsOutput{AdvancedEventSelectors: []cttypes.AdvancedEventSelector{{Name: aws.String("Log all S3 data events")}}}
	assert.Equal(t, report.Warn, selCheck(advanced, o).Status)
}

// The advanced selectors of dataEventsScope exclude-trail-bucket, written
// as the CloudTrail User Guide's "Filtering data events by using advanced
// event selectors" shows them, in any order: verify compares their content,
// not their order or names.
func TestEventSelectorsExcludingTheTrailBucket(t *testing.T) {
	o := &stackout.Outputs{Partition: "aws", BucketName: "mycloudtrailbucket1", DataEvents: true, DataEventsScope: "exclude-trail-bucket"}
	field := func(name string, equals ...string) cttypes.AdvancedFieldSelector {
		return cttypes.AdvancedFieldSelector{Field: aws.String(name), Equals: equals}
	}
	good := []cttypes.AdvancedEventSelector{
		{Name: aws.String("S3 without the log bucket"), FieldSelectors: []cttypes.AdvancedFieldSelector{
			{Field: aws.String("resources.ARN"), NotStartsWith: []string{"arn:aws:s3:::mycloudtrailbucket1/"}},
			field("resources.type", "AWS::S3::Object"), field("eventCategory", "Data")}},
		{Name: aws.String("Management"), FieldSelectors: []cttypes.AdvancedFieldSelector{field("eventCategory", "Management")}},
	}
	assert.Equal(t, report.Pass, selCheck(&cloudtrail.GetEventSelectorsOutput{AdvancedEventSelectors: good}, o).Status)

	withoutExclusion := []cttypes.AdvancedEventSelector{good[1], {FieldSelectors: []cttypes.AdvancedFieldSelector{
		field("eventCategory", "Data"), field("resources.type", "AWS::S3::Object")}}}
	assert.Equal(t, report.Fail, selCheck(&cloudtrail.GetEventSelectorsOutput{AdvancedEventSelectors: withoutExclusion}, o).Status)

	basic := &cloudtrail.GetEventSelectorsOutput{EventSelectors: []cttypes.EventSelector{{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true)}}}
	c := selCheck(basic, o)
	assert.Equal(t, report.Fail, c.Status)
	assert.Contains(t, c.Observed, "no advanced event selectors | basic: ReadWriteType=All, management events")
}
