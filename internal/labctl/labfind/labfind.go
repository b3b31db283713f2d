// Package labfind finds a lab's resources in an account by the names the
// lab guide gives them (the alias, the trail, the bucket name's prefix).
// labctl check grades what it finds and labctl clean removes it, so both
// must agree on what "the lab's" is: this is that one definition.
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
	"github.com/aws/smithy-go"
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
// this way; check uses FindTrail, which also sees a multi-region trail
// homed in another region.
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

// FindTrail is the trail of that name as the client's region sees it: one
// homed in this region, else a multi-region trail homed in another region,
// which this region sees as a shadow trail. GetTrail by name finds only the
// first kind, so the trail is looked up in DescribeTrails' list of every
// trail the region sees, shadow trails included (AWS CloudTrail API
// Reference, DescribeTrails: "If an empty list is specified and
// IncludeShadowTrails is null or true, then information for all trails in
// the current Region and any associated shadow trails in other Regions is
// returned"). Its HomeRegion says where it can be read in full, changed or
// deleted. A trail that is not there is a TrailNotFoundException, as
// GetTrail answers, so callers tell it apart the same way.
func FindTrail(ctx context.Context, c *cloudtrail.Client, name string) (*cttypes.Trail, error) {
	trails, err := Trails(ctx, c)
	if err != nil {
		return nil, err
	}
	region := c.Options().Region
	if t := PickTrail(trails, name, region); t != nil {
		return t, nil
	}
	return nil, &smithy.GenericAPIError{Code: "TrailNotFoundException",
		Message: fmt.Sprintf("no trail named %s is homed in %s, and no multi-region trail of that name covers it", name, region)}
}

// Trails are every trail the client's region sees: its own and the shadows
// of multi-region trails homed elsewhere, each with its HomeRegion.
func Trails(ctx context.Context, c *cloudtrail.Client) ([]cttypes.Trail, error) {
	out, err := c.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		return nil, err
	}
	return out.TrailList, nil
}

// PickTrail is the trail named name that region sees: the one homed there,
// else a multi-region trail homed elsewhere (a trail name is unique within
// its home region, so a region can see one of its own and shadows of
// others of the same name). nil when there is none.
func PickTrail(trails []cttypes.Trail, name, region string) *cttypes.Trail {
	var shadow *cttypes.Trail
	for i := range trails {
		t := &trails[i]
		if aws.ToString(t.Name) != name {
			continue
		}
		home := aws.ToString(t.HomeRegion)
		if home == "" || home == region {
			return t
		}
		if shadow == nil && aws.ToBool(t.IsMultiRegionTrail) {
			shadow = t
		}
	}
	return shadow
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
