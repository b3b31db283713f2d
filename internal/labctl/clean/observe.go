package clean

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/labfind"
)

// Reads are what clean reads of an account through the account model:
// every trail the account can see in any region (ListTrails included, for
// the single-region trails homed elsewhere), each trail with the lab's name
// in full, the prefix's buckets with their tags, policy and contents, and
// the alias's key with its tags and aliases. It skips what it does not
// judge: the image and the anonymous GET, the log window, the key policy,
// the trail's status and the buckets' access settings.
func Reads() account.Reads {
	return account.Reads{Tags: true, Aliases: true, PrefixBuckets: true, OtherRegionTrails: true, LabNamedTrails: true, Contents: true,
		Skip: account.Skip{Image: true, KeyPolicy: true, TrailStatus: true, BucketSettings: true, TrailBucket: true}}
}

// observe reads, once, what the plan needs of the account. A read that
// fails is kept in the snapshot as that, never as "not there".
func (c *Cleaner) observe(ctx context.Context) *account.Snapshot {
	o := &account.Observer{Clients: c.Clients, Identity: c.Identity, Now: c.Now}
	names := account.Names{Alias: labfind.AliasName(c.Options.Alias), Trail: c.Options.Trail, BucketPrefix: c.Options.BucketPrefix}
	return o.Observe(ctx, account.Request{Command: "clean", Names: names, Reads: Reads()})
}

// trailClient is a CloudTrail client for the trail's home region, the only
// region that deletes it.
func (c *Cleaner) trailClient(home string) *cloudtrail.Client {
	ct := c.Clients.CloudTrail
	if home == "" || home == c.Clients.Region {
		return ct
	}
	return cloudtrail.New(ct.Options(), func(o *cloudtrail.Options) { o.Region = home })
}

// bucketClient is an S3 client for the bucket's region: a bucket answers
// only in its own.
func (c *Cleaner) bucketClient(region string) *s3.Client {
	cl := c.Clients.S3
	if region == "" || region == c.Clients.Region {
		return cl
	}
	return s3.New(cl.Options(), func(o *s3.Options) { o.Region = region })
}

// errorCode is the AWS error code of err, "" when it has none.
func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}
