package clean

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kms-lab/kms-lab/internal/labctl/labfind"
)

// batchSize is the most keys one DeleteObjects request takes (Amazon S3
// API Reference, DeleteObjects: "up to 1,000 keys"), and the most a
// ListObjectVersions page holds.
const batchSize = 1000

// findBuckets plans to empty and delete every bucket whose name starts
// with the prefix: a student who retried task 2 left two.
func (c *Cleaner) findBuckets(ctx context.Context) []*step {
	prefix := c.Options.BucketPrefix
	found, err := labfind.Buckets(ctx, c.Clients.S3, prefix)
	if err != nil {
		return []*step{c.readFailed(typeBucket, prefix+"*", "the account's S3 buckets", err)}
	}
	var steps []*step
	for _, b := range found {
		if s := c.bucket(ctx, b); s != nil {
			steps = append(steps, s)
		}
	}
	return steps
}

func (c *Cleaner) bucket(ctx context.Context, b labfind.Bucket) *step {
	cl := c.Clients.S3
	if b.Region != "" && b.Region != c.Clients.Region {
		// A bucket answers only in its own region.
		cl = s3.New(cl.Options(), func(o *s3.Options) { o.Region = b.Region })
	}
	name := b.Name
	tags, err := cl.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(name)})
	switch {
	case err == nil:
		for _, t := range tags.TagSet {
			if aws.ToString(t.Key) == stackTag {
				return stackOwned(typeBucket, name, aws.ToString(t.Value))
			}
		}
	case errorCode(err) == "NoSuchTagSet":
		// No tags at all: no stack owns it.
	case errorCode(err) == "NoSuchBucket":
		return nil // deleted since the listing
	default:
		return c.readFailed(typeBucket, name, "the tags of bucket "+name, err)
	}
	n, err := countVersions(ctx, cl, name)
	if err != nil {
		if errorCode(err) == "NoSuchBucket" {
			return nil
		}
		return c.readFailed(typeBucket, name, "the objects of bucket "+name, err)
	}
	s := &step{Action: Action{Type: typeBucket, Name: name, Action: actionEmptyAndDelete, Status: statusPlanned, Detail: n.String()}}
	s.remove = func(ctx context.Context) (string, error) {
		removed, err := c.empty(ctx, cl, name, n.total())
		if err != nil {
			return "", fmt.Errorf("emptying bucket %s after %d removed: %w", name, removed, err)
		}
		if _, err := cl.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(name)}); err != nil && errorCode(err) != "NoSuchBucket" {
			return "", err
		}
		return fmt.Sprintf("deleted with its %d object versions and delete markers", removed), nil
	}
	return s
}

// contents counts what a bucket holds, every version included.
type contents struct {
	versions, markers int
	bytes             int64
}

func (n contents) total() int { return n.versions + n.markers }

func (n contents) String() string {
	return fmt.Sprintf("%d object versions (%s), %d delete markers", n.versions, size(n.bytes), n.markers)
}

func size(b int64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	div, exp := int64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(b)/float64(div), "KMGTPE"[exp])
}

func countVersions(ctx context.Context, cl *s3.Client, bucket string) (contents, error) {
	var n contents
	p := s3.NewListObjectVersionsPaginator(cl, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return n, err
		}
		n.versions += len(page.Versions)
		n.markers += len(page.DeleteMarkers)
		for _, v := range page.Versions {
			n.bytes += aws.ToInt64(v.Size)
		}
	}
	return n, nil
}

// empty deletes every version and delete marker, a page at a time: it
// always lists from the start, since what was deleted is no longer listed,
// and stops when the listing is empty. It returns how many it removed.
func (c *Cleaner) empty(ctx context.Context, cl *s3.Client, bucket string, expected int) (int, error) {
	removed := 0
	for {
		page, err := cl.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket), MaxKeys: aws.Int32(batchSize)})
		if err != nil {
			return removed, err
		}
		ids := make([]s3types.ObjectIdentifier, 0, len(page.Versions)+len(page.DeleteMarkers))
		for _, v := range page.Versions {
			ids = append(ids, s3types.ObjectIdentifier{Key: v.Key, VersionId: v.VersionId})
		}
		for _, m := range page.DeleteMarkers {
			ids = append(ids, s3types.ObjectIdentifier{Key: m.Key, VersionId: m.VersionId})
		}
		if len(ids) == 0 {
			return removed, nil
		}
		for start := 0; start < len(ids); start += batchSize {
			batch := ids[start:min(start+batchSize, len(ids))]
			out, err := cl.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(bucket),
				Delete: &s3types.Delete{Objects: batch, Quiet: aws.Bool(true)}})
			if err != nil {
				return removed, err
			}
			if len(out.Errors) > 0 {
				e := out.Errors[0]
				return removed + len(batch) - len(out.Errors), fmt.Errorf("%d of %d objects not deleted, first %s (version %s): %s: %s",
					len(out.Errors), len(batch), aws.ToString(e.Key), aws.ToString(e.VersionId), aws.ToString(e.Code), aws.ToString(e.Message))
			}
			removed += len(batch)
			if c.Progress != nil {
				fmt.Fprintf(c.Progress, "emptying s3://%s: %d of %d object versions and delete markers removed\n", bucket, removed, max(expected, removed))
			}
		}
	}
}
