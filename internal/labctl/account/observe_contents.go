package account

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Contents counts what a bucket holds, every version included: what
// emptying it deletes.
type Contents struct {
	Versions      int   `json:"versions"`
	DeleteMarkers int   `json:"deleteMarkers"`
	Bytes         int64 `json:"bytes"` // the versions' sizes added up
}

// readContents lists every object version and delete marker of the bucket
// (s3:ListObjectVersions) once, for Contents and the Versions count.
func (o *Observer) readContents(ctx context.Context, bucket *string, what string, opts ...func(*s3.Options)) Field[Contents] {
	var n Contents
	p := s3.NewListObjectVersionsPaginator(o.Clients.S3, &s3.ListObjectVersionsInput{Bucket: bucket})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, opts...)
		if err != nil {
			return failField[Contents](o, err, "object versions of "+what)
		}
		for _, v := range page.Versions {
			n.Versions++
			n.Bytes += aws.ToInt64(v.Size)
		}
		n.DeleteMarkers += len(page.DeleteMarkers)
	}
	return Value(n)
}
