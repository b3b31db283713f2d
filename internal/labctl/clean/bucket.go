package clean

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kms-lab/kms-lab/internal/labctl/clean/plan"
)

// batchSize is the most keys one DeleteObjects request takes (Amazon S3
// API Reference, DeleteObjects: "up to 1,000 keys"), and the most a
// ListObjectVersions page holds.
const batchSize = 1000

// countVersions counts what a bucket holds, every version included.
func countVersions(ctx context.Context, cl *s3.Client, bucket string) (plan.Contents, error) {
	var n plan.Contents
	p := s3.NewListObjectVersionsPaginator(cl, &s3.ListObjectVersionsInput{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return n, err
		}
		n.Versions += len(page.Versions)
		n.Markers += len(page.DeleteMarkers)
		for _, v := range page.Versions {
			n.Bytes += aws.ToInt64(v.Size)
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
