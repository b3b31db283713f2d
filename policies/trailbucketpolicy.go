package policies

import (
	"github.com/micahhausler/aws-iam-policy/policy"
)

// Statement ids of the bucket policy CloudTrail's documentation gives and the
// CloudTrail console writes, verbatim, so the policy reads as the familiar
// one to anyone who has seen it.
const (
	SidCloudTrailAclCheck = "AWSCloudTrailAclCheck20150319"
	SidCloudTrailWrite    = "AWSCloudTrailWrite20150319"
)

// CloudTrailServicePrincipal is CloudTrail's service principal. CloudTrail's
// guide gives cloudtrail.amazonaws.com for bucket policies in every
// partition.
const CloudTrailServicePrincipal = "cloudtrail.amazonaws.com"

// TrailBucketPolicyArgs are the inputs of TrailBucketPolicy.
type TrailBucketPolicyArgs struct {
	// Partition is the AWS partition: aws, aws-cn, aws-us-gov...
	Partition string
	// Region is the trail's home region, part of the trail ARN.
	Region string
	// AccountID is the 12-digit account that owns the trail; CloudTrail
	// writes under AWSLogs/<AccountID>/.
	AccountID string
	// BucketName is the bucket that receives the log files.
	BucketName string
	// TrailName is the name of the one trail allowed to write.
	TrailName string
}

// TrailBucketPolicy returns the bucket policy CloudTrail requires to deliver
// one trail's log files to the bucket: a bucket ACL check and object writes
// under AWSLogs/<account>/ with the bucket-owner-full-control ACL.
//
// Both statements carry aws:SourceArn = the trail's ARN, as CloudTrail's
// guide recommends, so no other trail, in this account or another, can
// write to the bucket through the CloudTrail service (the confused-deputy
// problem).
func TrailBucketPolicy(args TrailBucketPolicyArgs) (*policy.Policy, error) {
	var bad problems
	bad.partition(args.Partition)
	bad.check(regionPattern.MatchString(args.Region), "Region", args.Region,
		"must be a region name such as us-east-1")
	bad.accountID(args.AccountID)
	bad.check(bucketPattern.MatchString(args.BucketName), "BucketName", args.BucketName,
		"must be 3 to 63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit")
	bad.check(trailPattern.MatchString(args.TrailName), "TrailName", args.TrailName,
		"must be 3 to 128 letters, digits, periods, underscores or dashes, starting and ending with a letter or digit")
	if err := bad.err("trail bucket policy"); err != nil {
		return nil, err
	}

	trailARN := TrailARN(args.Partition, args.Region, args.AccountID, args.TrailName)
	service := CloudTrailServicePrincipal
	return &policy.Policy{
		Version: policy.VersionLatest,
		Statements: policy.NewStatementOrSlice(
			policy.Statement{
				Sid:       SidCloudTrailAclCheck,
				Effect:    policy.EffectAllow,
				Principal: policy.NewServicePrincipal(service),
				Action:    policy.NewStringOrSlice(true, "s3:GetBucketAcl"),
				Resource:  policy.NewStringOrSlice(true, BucketARN(args.Partition, args.BucketName)),
				Condition: map[string]map[string]*policy.ConditionValue{
					"StringEquals": {
						"aws:SourceArn": policy.NewConditionValueString(true, trailARN),
					},
				},
			},
			policy.Statement{
				Sid:       SidCloudTrailWrite,
				Effect:    policy.EffectAllow,
				Principal: policy.NewServicePrincipal(service),
				Action:    policy.NewStringOrSlice(true, "s3:PutObject"),
				Resource: policy.NewStringOrSlice(true,
					TrailLogObjectsARN(args.Partition, args.BucketName, args.AccountID)),
				// The ACL condition is the guide's. With ACLs enabled (the
				// lab's BucketOwnerPreferred ownership) it also makes every
				// log file owned and fully controlled by the bucket owner.
				Condition: map[string]map[string]*policy.ConditionValue{
					"StringEquals": {
						"s3:x-amz-acl":  policy.NewConditionValueString(true, "bucket-owner-full-control"),
						"aws:SourceArn": policy.NewConditionValueString(true, trailARN),
					},
				},
			},
		),
	}, nil
}
