// Package policies builds the lab's policy documents as typed values and
// renders them to canonical JSON:
//
//   - KeyPolicy: the AWS KMS console's default key policy for chosen key
//     administrators and key users;
//   - TrailBucketPolicy: the S3 bucket policy CloudTrail requires before it
//     writes a trail's log files to a bucket;
//   - DeployerPolicy: not a resource policy of the lab but the IAM identity
//     policy of the role that deploys it (deployer.go), built from the table
//     of the provider's calls in deployeractions.go. It lives here because it
//     shares the ARN helpers and Render, and is checked the same way.
//
// Documents are github.com/micahhausler/aws-iam-policy/policy values, so a
// caller can inspect or extend them with that package's types; they are never
// built from string templates. Render is the only way this project turns a
// document into JSON, because the library's own json.Marshal output is stable
// but not canonical (see render.go).
//
// The ARN helpers in arn.go take the partition explicitly (aws, aws-cn,
// aws-us-gov, ...) so that nothing here assumes the commercial partition.
//
// Sources of truth, both AWS documentation:
//   - https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
//   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
package policies
