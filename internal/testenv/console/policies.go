// Package console holds the policies the AWS consoles write when a student
// does the lab by hand, for tests that build such an account on moto.
package console

import "encoding/json"

// KeyPolicy is the key policy the KMS console writes when the student picks
// themselves as key administrator and key user: the four statements of
// "Default key policy" (AWS KMS Developer Guide,
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html),
// indented as the console shows it. With no key users the console leaves out
// the two user statements.
func KeyPolicy(account, admin string, users []string) string {
	st := []map[string]any{
		{"Sid": "Enable IAM User Permissions", "Effect": "Allow",
			"Principal": map[string]any{"AWS": "arn:aws:iam::" + account + ":root"}, "Action": "kms:*", "Resource": "*"},
		{"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": map[string]any{"AWS": admin},
			"Action": []string{"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
				"kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
				"kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand"},
			"Resource": "*"},
	}
	if len(users) > 0 {
		st = append(st,
			map[string]any{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": map[string]any{"AWS": users},
				"Action":   []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
				"Resource": "*"},
			map[string]any{"Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": map[string]any{"AWS": users},
				"Action": []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"}, "Resource": "*",
				"Condition": map[string]any{"Bool": map[string]any{"kms:GrantIsForAWSResource": "true"}}})
	}
	b, _ := json.MarshalIndent(map[string]any{"Version": "2012-10-17", "Id": "key-consolepolicy-3", "Statement": st}, "", "  ")
	return string(b)
}

// CloudTrailBucketPolicy is the policy CloudTrail's console attaches to the
// new bucket of a trail (AWS CloudTrail User Guide, "Amazon S3 bucket policy
// for CloudTrail"), scoped to the trail by aws:SourceArn.
func CloudTrailBucketPolicy(bucket, account, trailARN string) string {
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []map[string]any{
		{"Sid": "AWSCloudTrailAclCheck20150319", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
			"Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::" + bucket,
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceArn": trailARN}}},
		{"Sid": "AWSCloudTrailWrite20150319", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
			"Action": "s3:PutObject", "Resource": "arn:aws:s3:::" + bucket + "/AWSLogs/" + account + "/*",
			"Condition": map[string]any{"StringEquals": map[string]any{"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailARN}}},
	}})
	return string(b)
}
