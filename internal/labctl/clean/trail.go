package clean

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// findTrail finds the trail by its name among every trail the region can
// see, shadow trails included, and plans its deletion in its home region,
// the only region where CloudTrail lets a trail be deleted. A multi-region
// trail created while the console was in another region is homed there:
// GetTrail and DescribeTrails by name answer only for trails of the
// current region ("To return information about a trail in another Region,
// you must specify its trail ARN", CloudTrail API Reference,
// DescribeTrails), so the name alone would miss it.
func (c *Cleaner) findTrail(ctx context.Context) []*step {
	name := c.Options.Trail
	out, err := c.Clients.CloudTrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		return []*step{c.readFailed(typeTrail, name, "the trails of "+c.Clients.Region+" (cloudtrail:DescribeTrails)", err)}
	}
	var found []cttypes.Trail
	for _, tr := range out.TrailList {
		if aws.ToString(tr.Name) == name {
			found = append(found, tr)
		}
	}
	sort.Slice(found, func(i, j int) bool { return aws.ToString(found[i].TrailARN) < aws.ToString(found[j].TrailARN) })
	var steps []*step
	for _, tr := range found {
		steps = append(steps, c.trail(ctx, tr))
	}
	return steps
}

func (c *Cleaner) trail(ctx context.Context, tr cttypes.Trail) *step {
	name := aws.ToString(tr.Name)
	home := aws.ToString(tr.HomeRegion)
	if home == "" {
		home = c.Clients.Region
	}
	ct := c.Clients.CloudTrail
	if home != c.Clients.Region {
		ct = cloudtrail.New(ct.Options(), func(o *cloudtrail.Options) { o.Region = home })
	}
	arn := aws.ToString(tr.TrailARN)
	if aws.ToBool(tr.IsOrganizationTrail) {
		return &step{Action: Action{Type: typeTrail, Name: name, Action: actionKeep, Status: statusKept,
			Detail: fmt.Sprintf("%s is an organization trail: it belongs to the organization's management account, not the lab", arn)}}
	}
	tags, err := ct.ListTags(ctx, &cloudtrail.ListTagsInput{ResourceIdList: []string{arn}})
	if err != nil {
		return c.readFailed(typeTrail, name, "the tags of trail "+arn, err)
	}
	for _, rt := range tags.ResourceTagList {
		for _, t := range rt.TagsList {
			if aws.ToString(t.Key) == stackTag {
				return stackOwned(typeTrail, name, aws.ToString(t.Value))
			}
		}
	}
	s := &step{Action: Action{Type: typeTrail, Name: name, Action: actionDelete, Status: statusPlanned}}
	s.Detail = fmt.Sprintf("home region %s, writes to s3://%s; %s", home, aws.ToString(tr.S3BucketName), c.trailEvents(ctx, ct, arn))
	s.remove = func(ctx context.Context) (string, error) {
		// By name, in the home region, where the name is unique (moto
		// ignores an ARN here, and AWS takes either).
		if _, err := ct.DeleteTrail(ctx, &cloudtrail.DeleteTrailInput{Name: aws.String(name)}); err != nil {
			if errorCode(err) == "TrailNotFoundException" {
				return "already gone", nil
			}
			return "", err
		}
		return fmt.Sprintf("deleted in its home region %s; it logs nothing more", home), nil
	}
	return s
}

// trailEvents describes what the trail logs and its cost. It is only a
// description: a failed read is said, and does not stop the deletion.
func (c *Cleaner) trailEvents(ctx context.Context, ct *cloudtrail.Client, arn string) string {
	sel, err := ct.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(arn)})
	if err != nil {
		return "its event selectors could not be read: " + c.explain(err, "the event selectors of "+arn).Error()
	}
	var insights []cttypes.InsightSelector
	in, err := ct.GetInsightSelectors(ctx, &cloudtrail.GetInsightSelectorsInput{TrailName: aws.String(arn)})
	switch {
	case err == nil:
		insights = in.InsightSelectors
	case errorCode(err) == "InsightNotEnabledException":
	default:
		return trailCost(sel.EventSelectors, sel.AdvancedEventSelectors, nil) + "; its Insights selectors could not be read: " +
			c.explain(err, "the Insights selectors of "+arn).Error()
	}
	return trailCost(sel.EventSelectors, sel.AdvancedEventSelectors, insights)
}
