package verify

import (
	"fmt"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

func (j judge) bucketChecks() []Check {
	o := j.o
	what := "S3 bucket " + o.BucketName
	b := j.s.Bucket(o.BucketName)
	if b == nil {
		return []Check{unread("bucket.exists", o.BucketName, nil)}
	}
	if !b.Exists.OK() {
		return []Check{field(b.Exists, "bucket.exists", o.BucketName, func() Check { return j.notFound("bucket.exists", o.BucketName, what) }, nil)}
	}
	checks := []Check{compare("bucket.exists", o.BucketName, o.BucketName)}

	const noOwnership = "no ownership controls"
	checks = append(checks, field(b.Ownership, "bucket.ownership", o.ObjectOwnership,
		func() Check { return failed("bucket.ownership", o.ObjectOwnership, noOwnership) },
		func(got string) Check {
			if j.guide != nil {
				return guideOwnershipCheck(got)
			}
			return compare("bucket.ownership", o.ObjectOwnership, got)
		}))

	expectedPAB := describePAB(o.PublicAccessBlock)
	checks = append(checks, field(b.PublicAccessBlock, "bucket.public-access-block", expectedPAB,
		func() Check {
			if j.guide != nil {
				// No configuration at all: every switch off, as the guide wants.
				return guidePABCheck(stackout.PublicAccessBlock{})
			}
			return failed("bucket.public-access-block", expectedPAB, "no public access block (all four off)")
		},
		func(p account.PublicAccessBlock) Check {
			if j.guide != nil {
				return guidePABCheck(pabOf(p))
			}
			return compare("bucket.public-access-block", expectedPAB, describePAB(pabOf(p)))
		}))

	// The guide leaves default encryption at S3's default (SSE-S3), so
	// only verify grades it.
	if j.guide == nil {
		checks = append(checks, field(b.Encryption, "bucket.encryption", o.BucketEncryption,
			func() Check { return failed("bucket.encryption", o.BucketEncryption, "no default encryption") },
			func(alg string) Check { return compare("bucket.encryption", o.BucketEncryption, alg) }))
	}

	policyExpected := "a policy letting " + o.TrailARN + " deliver logs"
	if o.TrailARN == "" {
		policyExpected = "a policy letting the lab's trail deliver logs"
	}
	checks = append(checks, field(b.Policy, "bucket.policy", policyExpected,
		func() Check {
			return failed("bucket.policy", policyExpected, "no bucket policy: CloudTrail cannot deliver logs")
		},
		func(doc string) Check { return bucketPolicyCheck(doc, o) }))
	return checks
}

func pabOf(p account.PublicAccessBlock) stackout.PublicAccessBlock {
	return stackout.PublicAccessBlock{
		BlockPublicACLs: p.BlockPublicACLs, IgnorePublicACLs: p.IgnorePublicACLs,
		BlockPublicPolicy: p.BlockPublicPolicy, RestrictPublicBuckets: p.RestrictPublicBuckets,
	}
}

func describePAB(p stackout.PublicAccessBlock) string {
	return fmt.Sprintf("BlockPublicAcls=%t IgnorePublicAcls=%t BlockPublicPolicy=%t RestrictPublicBuckets=%t",
		p.BlockPublicACLs, p.IgnorePublicACLs, p.BlockPublicPolicy, p.RestrictPublicBuckets)
}
