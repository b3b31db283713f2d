package verify

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

func (v *Verifier) bucketChecks(ctx context.Context) []Check {
	o := v.Outputs
	what := "S3 bucket " + o.BucketName
	bucket := aws.String(o.BucketName)
	if _, err := v.S3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: bucket}); err != nil {
		return []Check{v.apiFailed("bucket.exists", o.BucketName, err, what)}
	}
	checks := []Check{compare("bucket.exists", o.BucketName, o.BucketName)}

	if out, err := v.S3.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: bucket}); err != nil {
		checks = append(checks, v.notConfigured("bucket.ownership", o.ObjectOwnership, "no ownership controls", err, "ownership controls of "+what))
	} else if v.Guide != nil {
		checks = append(checks, guideOwnershipCheck(out.OwnershipControls))
	} else {
		checks = append(checks, compare("bucket.ownership", o.ObjectOwnership, ownership(out.OwnershipControls)))
	}

	expectedPAB := describePAB(o.PublicAccessBlock)
	out, err := v.S3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: bucket})
	switch {
	case err != nil && v.Guide != nil && awsclient.Classify(err) == awsclient.KindNotFound:
		// No configuration at all: every switch off, as the guide wants.
		checks = append(checks, guidePABCheck(stackout.PublicAccessBlock{}))
	case err != nil:
		checks = append(checks, v.notConfigured("bucket.public-access-block", expectedPAB, "no public access block (all four off)", err, "public access block of "+what))
	case v.Guide != nil:
		checks = append(checks, guidePABCheck(pabFromSDK(out.PublicAccessBlockConfiguration)))
	default:
		checks = append(checks, compare("bucket.public-access-block", expectedPAB, describePAB(pabFromSDK(out.PublicAccessBlockConfiguration))))
	}

	// The guide leaves default encryption at S3's default (SSE-S3), so
	// only verify grades it.
	if v.Guide == nil {
		if out, err := v.S3.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: bucket}); err != nil {
			checks = append(checks, v.notConfigured("bucket.encryption", o.BucketEncryption, "no default encryption", err, "default encryption of "+what))
		} else {
			checks = append(checks, compare("bucket.encryption", o.BucketEncryption, defaultSSE(out.ServerSideEncryptionConfiguration)))
		}
	}

	if out, err := v.S3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: bucket}); err != nil {
		checks = append(checks, v.notConfigured("bucket.policy", "a policy letting "+o.TrailARN+" deliver logs", "no bucket policy: CloudTrail cannot deliver logs", err, "bucket policy of "+what))
	} else {
		checks = append(checks, bucketPolicyCheck(aws.ToString(out.Policy), o))
	}
	return checks
}

// notConfigured fails a check whose configuration is absent (S3 answers
// "not found" for a bucket without it) with a plain description, and any
// other failure with the explained error.
func (v *Verifier) notConfigured(name, expected, absent string, err error, what string) Check {
	if awsclient.Classify(err) == awsclient.KindNotFound {
		return failed(name, expected, absent)
	}
	return v.apiFailed(name, expected, err, what)
}

func ownership(c *s3types.OwnershipControls) string {
	if c == nil || len(c.Rules) == 0 {
		return "no ownership controls"
	}
	return string(c.Rules[0].ObjectOwnership)
}

func pabFromSDK(c *s3types.PublicAccessBlockConfiguration) stackout.PublicAccessBlock {
	if c == nil {
		return stackout.PublicAccessBlock{}
	}
	return stackout.PublicAccessBlock{
		BlockPublicACLs:       aws.ToBool(c.BlockPublicAcls),
		IgnorePublicACLs:      aws.ToBool(c.IgnorePublicAcls),
		BlockPublicPolicy:     aws.ToBool(c.BlockPublicPolicy),
		RestrictPublicBuckets: aws.ToBool(c.RestrictPublicBuckets),
	}
}

func describePAB(p stackout.PublicAccessBlock) string {
	return fmt.Sprintf("BlockPublicAcls=%t IgnorePublicAcls=%t BlockPublicPolicy=%t RestrictPublicBuckets=%t",
		p.BlockPublicACLs, p.IgnorePublicACLs, p.BlockPublicPolicy, p.RestrictPublicBuckets)
}

func defaultSSE(c *s3types.ServerSideEncryptionConfiguration) string {
	if c == nil {
		return "no default encryption"
	}
	for _, r := range c.Rules {
		if r.ApplyServerSideEncryptionByDefault != nil {
			return string(r.ApplyServerSideEncryptionByDefault.SSEAlgorithm)
		}
	}
	return "no default encryption"
}
