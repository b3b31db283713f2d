package verify

// Every rule of verify that makes a warn rather than a fail, each on its
// own: a warn is reported but does not fail verify (only a fail makes it
// exit 1), so turning one into a fail, or into a pass, breaks one of these
// tests. Each warn is paired with the same input without the warn's
// condition, which passes, and, where there is one, the input one step
// further, which fails.

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/report"
	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
)

// With an S3 Bucket Key, S3 asks KMS for a bucket-level key and the
// encryption context KMS logs is the bucket's ARN, not the object's
// (Amazon S3 User Guide, "Using server-side encryption with AWS KMS keys
// (SSE-KMS)", Encryption context). The image is still encrypted under the
// lab's key, so nothing is wrong with task 3, but task 5 asks the student to
// find "the name of the file that you upload" in the log file that holds the
// key ID (lab guide, task 5, step 7), which they then cannot: a warn.
func TestWarnObjectEncryptionBucketKey(t *testing.T) {
	o := labOutputs()
	tests := []struct {
		name      string
		sse       s3types.ServerSideEncryption
		bucketKey *bool
		status    report.Status
	}{
		{"SSE-KMS with the lab key, no Bucket Key", s3types.ServerSideEncryptionAwsKms, nil, report.Pass},
		{"SSE-KMS with the lab key, Bucket Key off", s3types.ServerSideEncryptionAwsKms, aws.Bool(false), report.Pass},
		{"SSE-KMS with the lab key, Bucket Key on", s3types.ServerSideEncryptionAwsKms, aws.Bool(true), report.Warn},
		// The Bucket Key does not soften a missing SSE-KMS (lab task 3).
		{"SSE-S3, Bucket Key on", s3types.ServerSideEncryptionAes256, aws.Bool(true), report.Fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			head := &s3.HeadObjectOutput{ServerSideEncryption: tt.sse, BucketKeyEnabled: tt.bucketKey}
			if tt.sse == s3types.ServerSideEncryptionAwsKms {
				head.SSEKMSKeyId = aws.String(o.KeyARN)
			}
			c := headCheck(head, o)
			assert.Equal(t, "object.encryption", c.Name)
			assert.Equal(t, tt.status, c.Status, c.Observed)
			if tt.status == report.Warn {
				assert.Equal(t, "aws:kms with "+o.KeyARN+", S3 Bucket Key on (KMS events name the bucket, not the image)", c.Observed)
			}
		})
	}
}

// Lab task 4 makes the image public with an ACL and expects the anonymous
// GET to be refused for SSE-KMS: "You should see a message saying Requests
// specifying Server Side Encryption with AWS KMS managed keys require AWS
// Signature Version 4" (lab guide, task 4). A 403 for a public image is
// still a refusal, so nothing leaks (not a fail, unlike an image served),
// but the student sees "Access Denied" instead of the guide's message: a
// warn. For an image the stack keeps private, 403 is what is expected.
func TestWarnAnonymousGetRefusedByAccessControl(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		public bool
		want   report.Status
	}{
		{"public, refused for SSE-KMS", 400, awswire.SigV4RequiredAnswer, true, report.Pass},
		{"public, refused by access control", 403, awswire.S3AccessDeniedAnswer, true, report.Warn},
		{"private, refused by access control", 403, awswire.S3AccessDeniedAnswer, false, report.Pass},
		{"public, served", 200, "\xff\xd8\xff\xe0 JFIF", true, report.Fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := anonCheck(tt.status, []byte(tt.body), tt.public)
			assert.Equal(t, "object.anonymous-get", c.Name)
			assert.Equal(t, tt.want, c.Status, c.Observed)
			if tt.want == report.Warn {
				assert.Equal(t, "refused by access control, not by SSE-KMS: HTTP 403 AccessDenied: Access Denied", c.Observed)
				assert.Equal(t, "refused: HTTP 400 InvalidArgument "+sigV4Message, c.Expected)
			}
		})
	}
}

// "An explicit deny in any policy overrides any allows" (IAM User Guide,
// "Policy evaluation logic"). verify reads who is allowed what and does not
// evaluate Deny statements, so a key policy with one might take away what
// the Allow statements grant: verify cannot tell, and says so with a warn.
// Without the Deny the same policy passes; a principal outside every role
// is a fail whether or not a Deny is there.
func TestWarnKeyPolicyDenyNotEvaluated(t *testing.T) {
	deny := stmt{"Effect": "Deny", "Principal": "*", "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}
	signer := stmt{"Effect": "Allow", "Principal": stmt{"AWS": "arn:aws:iam::111122223333:role/ops"}, "Action": "kms:Sign", "Resource": "*"}
	console := []stmt{rootStatement(), adminStatement(student), useStatement(student), grantStatement(student)}
	tests := []struct {
		name     string
		extra    []stmt
		status   report.Status
		observed string
	}{
		{"the console's default policy", nil, report.Pass, "none"},
		{"with one Deny", []stmt{deny}, report.Warn, "none, but 1 Deny statement(s) not evaluated"},
		{"with two Denies", []stmt{deny, deny}, report.Warn, "none, but 2 Deny statement(s) not evaluated"},
		{"with a Deny and a principal outside every role", []stmt{deny, signer}, report.Fail, "arn:aws:iam::111122223333:role/ops (kms:Sign)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := labOutputs()
			o.KeyAdministrators, o.KeyUsers = []string{student}, []string{student}
			got := byName(keyPolicyChecks(policyDoc(append(console, tt.extra...)...), o))
			c := got["key.policy.other-principals"]
			assert.Equal(t, tt.status, c.Status, c.Observed)
			assert.Equal(t, tt.observed, c.Observed)
			// The Deny changes no other verdict: the roles still pass.
			for _, name := range []string{"key.policy.root", "key.policy.administrators", "key.policy.users", "key.policy.grants"} {
				assert.Equal(t, report.Pass, got[name].Status, "%s: %s", name, got[name].Observed)
			}
		})
	}
}

// The lab guide has the student "choose Switch to basic event selectors"
// (task 2, step 7), and the stack writes one basic selector unless
// dataEventsScope is exclude-trail-bucket. Advanced selectors can log the
// same events (AWS CloudTrail User Guide, "Logging data events"), but verify
// compares only basic ones, so a trail switched to advanced selectors by
// hand is reported as not compared: a warn. The stack's own basic selector
// passes; a basic selector that differs fails.
func TestWarnTrailAdvancedSelectorsNotCompared(t *testing.T) {
	o := labOutputs()
	expected := "ReadWriteType=All, management events, data events AWS::S3::Object [arn:aws:s3]"
	basic := func(mgmt bool) *cloudtrail.GetEventSelectorsOutput {
		return &cloudtrail.GetEventSelectorsOutput{EventSelectors: []cttypes.EventSelector{{
			ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(mgmt),
			DataResources: []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3"}}}}}}
	}
	advanced := &cloudtrail.GetEventSelectorsOutput{AdvancedEventSelectors: []cttypes.AdvancedEventSelector{
		{Name: aws.String("Management events selector"), FieldSelectors: []cttypes.AdvancedFieldSelector{
			{Field: aws.String("eventCategory"), Equals: []string{"Management"}}}},
		{Name: aws.String("S3 objects"), FieldSelectors: []cttypes.AdvancedFieldSelector{
			{Field: aws.String("eventCategory"), Equals: []string{"Data"}},
			{Field: aws.String("resources.type"), Equals: []string{"AWS::S3::Object"}}}},
	}}
	tests := []struct {
		name     string
		out      *cloudtrail.GetEventSelectorsOutput
		status   report.Status
		observed string
	}{
		{"the stack's basic selector", basic(true), report.Pass, expected},
		{"advanced selectors", advanced, report.Warn, "advanced event selectors (Management events selector, S3 objects), not compared"},
		{"a basic selector without management events", basic(false), report.Fail, "ReadWriteType=All, no management events, data events AWS::S3::Object [arn:aws:s3]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := selCheck(tt.out, o)
			assert.Equal(t, "trail.event-selectors", c.Name)
			assert.Equal(t, tt.status, c.Status, c.Observed)
			assert.Equal(t, tt.observed, c.Observed)
			assert.Equal(t, expected, c.Expected)
		})
	}
}
