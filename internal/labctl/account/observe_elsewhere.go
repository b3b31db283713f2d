package account

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// observeTrailsElsewhere reads the trails homed in other regions that
// DescribeTrails of this region does not return: a single-region trail
// homed elsewhere is no shadow trail here, yet it can log to a bucket with
// the lab's prefix. ListTrails "lists trails that are in the current
// account" of every region, each with its HomeRegion (AWS CloudTrail API
// Reference, ListTrails); GetTrail answers for a trail only in its home
// region, so each one is read there. Any failed read fails the whole
// field: a list with a hole in it would let clean take "no other trail
// logs to the bucket" for proven.
func (o *Observer) observeTrailsElsewhere(ctx context.Context, s *Snapshot) {
	if !s.Trails.OK() {
		s.TrailsElsewhere = Field[[]Trail]{State: s.Trails.State, Error: s.Trails.Error}
		return
	}
	seen := map[string]bool{}
	for _, t := range s.Trails.Value {
		seen[t.ARN] = true
	}
	c := o.Clients.CloudTrail
	found := []Trail{}
	p := cloudtrail.NewListTrailsPaginator(c, &cloudtrail.ListTrailsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			s.TrailsElsewhere = FailedWith[[]Trail](NewReadError(err, o.target("the account's trails of every region (cloudtrail:ListTrails)"), o.now()))
			return
		}
		for _, info := range page.Trails {
			arn := aws.ToString(info.TrailARN)
			if seen[arn] {
				continue
			}
			seen[arn] = true
			home := aws.ToString(info.HomeRegion)
			out, err := c.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String(arn)}, func(opt *cloudtrail.Options) {
				if home != "" {
					opt.Region = home
				}
			})
			switch {
			case err != nil && errorCode(err) == "TrailNotFoundException":
				continue // deleted since the listing
			case err != nil:
				// Not found is a value only for TrailNotFoundException: any
				// other failure leaves the trail unseen, so the field fails.
				s.TrailsElsewhere = FailedWith[[]Trail](NewReadError(err, o.targetIn("trail "+arn, home), o.now()))
				return
			case out.Trail != nil:
				found = append(found, TrailOf(*out.Trail, home))
			}
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].ARN < found[j].ARN })
	s.TrailsElsewhere = Value(found)
}

// targetIn words a failed read of what made in region.
func (o *Observer) targetIn(what, region string) awsclient.Target {
	t := o.target(what)
	if region != "" {
		t.Region = region
	}
	return t
}
