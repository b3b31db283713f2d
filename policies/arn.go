package policies

import "strings"

// PartitionOfRegion is the partition a region belongs to: cn-* regions are
// aws-cn, us-gov-* regions aws-us-gov, every other commercial region aws
// (AWS General Reference, "AWS service endpoints").
func PartitionOfRegion(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// ARN joins the six ARN fields. It does not validate: the builders below are
// called with inputs KeyPolicy and TrailBucketPolicy have already checked, or
// by components that hold validated config.
func ARN(partition, service, region, accountID, resource string) string {
	return strings.Join([]string{"arn", partition, service, region, accountID, resource}, ":")
}

// AccountRootARN is the account principal, arn:<partition>:iam::<account>:root.
// In a key policy it stands for the account and lets IAM policies grant
// access to the key; it is not the root user alone.
func AccountRootARN(partition, accountID string) string {
	return ARN(partition, "iam", "", accountID, "root")
}

// BucketARN is arn:<partition>:s3:::<bucket>. S3 bucket ARNs carry neither
// region nor account.
func BucketARN(partition, bucket string) string {
	return ARN(partition, "s3", "", "", bucket)
}

// ObjectARN is arn:<partition>:s3:::<bucket>/<key>. The key may end in a
// wildcard, or be empty to name every object of the bucket the way
// CloudTrail data event selectors expect (arn:aws:s3:::bucket/).
func ObjectARN(partition, bucket, key string) string {
	return BucketARN(partition, bucket) + "/" + key
}

// TrailLogObjectsARN names the objects a trail without an S3 key prefix
// (the lab's) writes: arn:<partition>:s3:::<bucket>/AWSLogs/<account>/*.
func TrailLogObjectsARN(partition, bucket, accountID string) string {
	return ObjectARN(partition, bucket, "AWSLogs/"+accountID+"/*")
}

// TrailARN is arn:<partition>:cloudtrail:<region>:<account>:trail/<name>, the
// ARN AWS gives a trail created in that region. The bucket policy needs it
// for aws:SourceArn before the trail exists (the trail cannot be created
// until the policy allows it to write), so it is built from its parts rather
// than read from the trail resource.
func TrailARN(partition, region, accountID, trailName string) string {
	return ARN(partition, "cloudtrail", region, accountID, "trail/"+trailName)
}
