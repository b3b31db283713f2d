package verify

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/report"
)

func TestBucketPolicyCheck(t *testing.T) {
	o := labOutputs()
	acl, put := bucketStatement("s3:GetBucketAcl"), bucketStatement("s3:PutObject")
	noSource := bucketStatement("s3:GetBucketAcl")
	delete(noSource, "Condition")
	otherTrail := bucketStatement("s3:PutObject")
	otherTrail["Condition"].(stmt)["StringEquals"].(stmt)["aws:SourceArn"] = "arn:aws:cloudtrail:us-west-2:111122223333:trail/other"
	noACL := bucketStatement("s3:PutObject")
	delete(noACL["Condition"].(stmt)["StringEquals"].(stmt), "s3:x-amz-acl")
	public := stmt{"Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": o.BucketARN() + "/*"}

	tests := []struct {
		name     string
		doc      string
		status   report.Status
		observed string
	}{
		{"the stack's policy", policyDoc(acl, put), report.Pass,
			"CloudTrail may read the ACL and write arn:aws:s3:::" + o.BucketName + "/AWSLogs/111122223333/*, only for " + o.TrailARN},
		{"ACL check not scoped to the trail", policyDoc(noSource, put), report.Fail, "s3:GetBucketAcl is not limited to aws:SourceArn=" + o.TrailARN},
		{"write scoped to another trail", policyDoc(acl, otherTrail), report.Fail, "s3:PutObject is not limited to aws:SourceArn=" + o.TrailARN},
		{"write without the ACL condition", policyDoc(acl, noACL), report.Fail, "s3:PutObject lacks StringEquals s3:x-amz-acl=bucket-owner-full-control"},
		{"write statement missing", policyDoc(acl), report.Fail, "no s3:PutObject for cloudtrail.amazonaws.com on arn:aws:s3:::" + o.BucketName + "/AWSLogs/111122223333/*"},
		{"logs opened to everyone", policyDoc(acl, put, public), report.Fail, `statement "Everyone" allows everyone s3:GetObject`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := bucketPolicyCheck(tt.doc, o)
			assert.Equal(t, "bucket.policy", c.Name)
			assert.Equal(t, tt.status, c.Status)
			assert.Equal(t, tt.observed, c.Observed)
		})
	}
}

// TestBucketPolicyCheckWithoutTrail: labctl check found the bucket by its
// prefix but no trail, so there is no ARN to compare aws:SourceArn with.
// CloudTrail's console policy names one trail in each statement (AWS
// CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail"); no
// message may show an empty ARN ("aws:SourceArn=").
func TestBucketPolicyCheckWithoutTrail(t *testing.T) {
	o := labOutputs()
	acl, put := bucketStatement("s3:GetBucketAcl"), bucketStatement("s3:PutObject")
	noSource := bucketStatement("s3:GetBucketAcl")
	delete(noSource, "Condition")
	o.TrailARN = ""
	tests := []struct {
		name     string
		doc      string
		status   report.Status
		observed string
	}{
		{"scoped to one trail", policyDoc(acl, put), report.Pass,
			"CloudTrail may read the ACL and write arn:aws:s3:::" + o.BucketName + "/AWSLogs/111122223333/*, each for one trail by aws:SourceArn"},
		{"ACL check not scoped", policyDoc(noSource, put), report.Fail,
			"s3:GetBucketAcl is not limited to aws:SourceArn naming one trail (no trail found to compare it with)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := bucketPolicyCheck(tt.doc, o)
			assert.NotContains(t, c.Expected+c.Observed, "aws:SourceArn=,")
			assert.NotRegexp(t, `aws:SourceArn=(\s|;|$)`, c.Expected+" "+c.Observed)
			assert.Equal(t, "bucket.policy", c.Name)
			assert.Equal(t, tt.status, c.Status)
			assert.Equal(t, tt.observed, c.Observed)
		})
	}
}
