package account

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// readBucketLean reads of a bucket only what decides whether it is the
// lab's and what emptying it deletes (Skip.BucketSettings): its tags, its
// policy and its contents, in its region. No HeadBucket: a read that
// answers NoSuchBucket says the bucket is gone (deleted since the
// listing), and the reads after it are not made.
func (o *Observer) readBucketLean(ctx context.Context, b Bucket, region string, r Reads) Bucket {
	inRegion := func(opt *s3.Options) {
		if region != "" {
			opt.Region = region
		}
	}
	bucket := aws.String(b.Name)
	what := "S3 bucket " + b.Name
	if r.Tags {
		b.Tags = o.bucketTags(ctx, bucket, what, inRegion)
		if b.Tags.Missing() { // NoSuchTagSet is a value; only NoSuchBucket is "not found"
			b.Exists, b.Tags = Absent[bool](), Field[[]Tag]{}
			return b
		}
	}
	out, err := o.Clients.S3.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: bucket}, inRegion)
	switch {
	case err != nil && errorCode(err) == "NoSuchBucket":
		b.Exists = Absent[bool]()
		return b
	case err != nil:
		b.Policy = failField[string](o, err, "bucket policy of "+what)
	default:
		b.Policy = Value(aws.ToString(out.Policy))
	}
	if r.Contents || r.Versions {
		b.Contents = o.readContents(ctx, bucket, what, inRegion)
		if b.Contents.Missing() {
			b.Exists, b.Contents = Absent[bool](), Field[Contents]{}
			return b
		}
		if r.Versions {
			b.Versions = versionsOf(b.Contents)
		}
		if !r.Contents {
			b.Contents = Field[Contents]{}
		}
	}
	return b
}

// versionsOf is the Versions count of a Contents read: versions and delete
// markers together.
func versionsOf(c Field[Contents]) Field[int] {
	if !c.OK() {
		return Field[int]{State: c.State, Error: c.Error}
	}
	return Value(c.Value.Versions + c.Value.DeleteMarkers)
}
