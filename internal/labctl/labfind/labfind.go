// Package labfind finds a lab's resources in an account by the names the
// lab guide gives them (the alias, the trail, the bucket name's prefix).
// labctl clean removes what it finds; labctl check and verify read the
// account through the account model (internal/labctl/account), which
// finds the trail the same way plus a multi-region trail homed elsewhere.
//
// Every function returns the SDK's error unchanged, so that the caller can
// tell "not there" (awsclient.KindNotFound) from a read that failed, which
// is never taken to mean "not there".
package labfind

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// AliasName is the alias as KMS names it: "alias/" and the guide's name.
func AliasName(alias string) string {
	if strings.HasPrefix(alias, "alias/") {
		return alias
	}
	return "alias/" + alias
}

// Key is the key the alias points to.
func Key(ctx context.Context, c *kms.Client, alias string) (*kmstypes.KeyMetadata, error) {
	out, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(AliasName(alias))})
	if err != nil {
		return nil, err
	}
	if out.KeyMetadata == nil {
		return nil, fmt.Errorf("kms:DescribeKey %s answered without the key's metadata", AliasName(alias))
	}
	return out.KeyMetadata, nil
}

// Trail is the trail of that name as GetTrail answers it in the client's
// region: only a trail homed there. labctl clean still finds its trail
// this way; the account model (internal/labctl/account) also sees a
// multi-region trail homed in another region, through DescribeTrails.
func Trail(ctx context.Context, c *cloudtrail.Client, name string) (*cttypes.Trail, error) {
	out, err := c.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String(name)})
	if err != nil {
		return nil, err
	}
	if out.Trail == nil {
		return nil, fmt.Errorf("cloudtrail:GetTrail %s answered without the trail", name)
	}
	return out.Trail, nil
}

// Bucket is a bucket found by its name's prefix.
type Bucket struct {
	Name string
	// Region is where the bucket lives, when S3 said so ("" otherwise).
	Region string
}

// Buckets are every bucket whose name starts with prefix, sorted by name:
// a student who retried task 2 has two. S3 filters by the prefix, and the
// names are checked again here in case an endpoint ignores the filter.
func Buckets(ctx context.Context, c *s3.Client, prefix string) ([]Bucket, error) {
	var found []Bucket
	p := s3.NewListBucketsPaginator(c, &s3.ListBucketsInput{Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, b := range page.Buckets {
			if name := aws.ToString(b.Name); strings.HasPrefix(name, prefix) {
				found = append(found, Bucket{Name: name, Region: aws.ToString(b.BucketRegion)})
			}
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Name < found[j].Name })
	return found, nil
}
