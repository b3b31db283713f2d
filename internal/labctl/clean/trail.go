package clean

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/kms-lab/kms-lab/internal/labctl/labfind"
)

// findTrail finds the trail and plans its deletion in its home region,
// the only region where CloudTrail lets a trail be deleted.
func (c *Cleaner) findTrail(ctx context.Context) []*step {
	name := c.Options.Trail
	tr, err := labfind.Trail(ctx, c.Clients.CloudTrail, name)
	if err != nil {
		if notFound(err) {
			return nil
		}
		return []*step{c.readFailed(typeTrail, name, "CloudTrail trail "+name, err)}
	}
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
		return []*step{{Action: Action{Type: typeTrail, Name: name, Action: actionKeep, Status: statusKept,
			Detail: fmt.Sprintf("%s is an organization trail: it belongs to the organization's management account, not the lab", arn)}}}
	}
	tags, err := ct.ListTags(ctx, &cloudtrail.ListTagsInput{ResourceIdList: []string{arn}})
	if err != nil {
		return []*step{c.readFailed(typeTrail, name, "the tags of trail "+arn, err)}
	}
	for _, rt := range tags.ResourceTagList {
		for _, t := range rt.TagsList {
			if aws.ToString(t.Key) == stackTag {
				return []*step{stackOwned(typeTrail, name, aws.ToString(t.Value))}
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
		return fmt.Sprintf("deleted in %s; it logs nothing more", home), nil
	}
	return []*step{s}
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
