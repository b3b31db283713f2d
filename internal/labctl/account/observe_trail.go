package account

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// observeTrails lists every trail the region sees, shadow trails of
// multi-region trails homed elsewhere included (AWS CloudTrail API
// Reference, DescribeTrails: "If an empty list is specified and
// IncludeShadowTrails is null or true, then information for all trails in
// the current Region and any associated shadow trails in other Regions is
// returned"), then reads the lab's trail in full in its home region, where
// GetTrailStatus, GetEventSelectors and GetInsightSelectors answer for it.
func (o *Observer) observeTrails(ctx context.Context, s *Snapshot, r Reads) {
	c := o.Clients.CloudTrail
	out, err := c.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		s.Trails = failField[[]Trail](o, err, "the CloudTrail trails of "+o.Clients.Region)
		return
	}
	trails := make([]Trail, 0, len(out.TrailList))
	for _, t := range out.TrailList {
		trails = append(trails, TrailOf(t, o.Clients.Region))
	}
	sort.Slice(trails, func(i, j int) bool { return trails[i].ARN < trails[j].ARN })
	s.Trails = Value(trails)
	lab := s.LabTrail()
	if lab == nil {
		return
	}
	home := func(opt *cloudtrail.Options) { opt.Region = lab.HomeRegion }
	what := "CloudTrail trail " + lab.ARN
	name := aws.String(lab.Name) // unique in its home region
	if st, err := c.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: name}, home); err != nil {
		lab.Logging = failField[bool](o, err, "status of "+what)
	} else {
		lab.Logging = Value(aws.ToBool(st.IsLogging))
	}
	if sel, err := c.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: name}, home); err != nil {
		lab.Selectors = failField[Selectors](o, err, "event selectors of "+what)
	} else {
		lab.Selectors = Value(SelectorsOf(sel))
	}
	ins, err := c.GetInsightSelectors(ctx, &cloudtrail.GetInsightSelectorsInput{TrailName: name}, home)
	switch {
	case err != nil && awsclient.Classify(err) == awsclient.KindNotFound:
		// InsightNotEnabledException: a trail that never had Insights.
		lab.Insights = Value([]string{})
	case err != nil:
		lab.Insights = failField[[]string](o, err, "insight selectors of "+what)
	default:
		types := []string{}
		for _, sel := range ins.InsightSelectors {
			types = append(types, string(sel.InsightType))
		}
		sort.Strings(types)
		lab.Insights = Value(types)
	}
	if r.Tags {
		o.trailTags(ctx, s)
	}
}

// trailTags reads the tags of every trail, each in its home region.
func (o *Observer) trailTags(ctx context.Context, s *Snapshot) {
	for i := range s.Trails.Value {
		t := &s.Trails.Value[i]
		home := func(opt *cloudtrail.Options) { opt.Region = t.HomeRegion }
		out, err := o.Clients.CloudTrail.ListTags(ctx, &cloudtrail.ListTagsInput{ResourceIdList: []string{t.ARN}}, home)
		if err != nil {
			t.Tags = failField[[]Tag](o, err, "the tags of trail "+t.ARN)
			continue
		}
		tags := []Tag{}
		for _, rt := range out.ResourceTagList {
			for _, tag := range rt.TagsList {
				tags = append(tags, Tag{Key: aws.ToString(tag.Key), Value: aws.ToString(tag.Value)})
			}
		}
		sortTags(tags)
		t.Tags = Value(tags)
	}
}

// TrailOf is what the snapshot keeps of a trail in DescribeTrails' answer.
func TrailOf(t cttypes.Trail, region string) Trail {
	home := aws.ToString(t.HomeRegion)
	if home == "" {
		home = region
	}
	return Trail{
		Name: aws.ToString(t.Name), ARN: aws.ToString(t.TrailARN), HomeRegion: home,
		Organization: aws.ToBool(t.IsOrganizationTrail), MultiRegion: aws.ToBool(t.IsMultiRegionTrail),
		GlobalServiceEvents: aws.ToBool(t.IncludeGlobalServiceEvents), LogFileValidation: aws.ToBool(t.LogFileValidationEnabled),
		Bucket: aws.ToString(t.S3BucketName), KeyPrefix: aws.ToString(t.S3KeyPrefix), KMSKeyID: aws.ToString(t.KmsKeyId),
	}
}

// SelectorsOf is what the snapshot keeps of GetEventSelectors' answer.
func SelectorsOf(out *cloudtrail.GetEventSelectorsOutput) Selectors {
	var s Selectors
	for _, e := range out.EventSelectors {
		sel := EventSelector{ReadWriteType: string(e.ReadWriteType), IncludeManagementEvents: aws.ToBool(e.IncludeManagementEvents)}
		for _, d := range e.DataResources {
			sel.DataResources = append(sel.DataResources, DataResource{Type: aws.ToString(d.Type), Values: d.Values})
		}
		s.Basic = append(s.Basic, sel)
	}
	for _, a := range out.AdvancedEventSelectors {
		sel := AdvancedEventSelector{Name: aws.ToString(a.Name)}
		for _, f := range a.FieldSelectors {
			sel.FieldSelectors = append(sel.FieldSelectors, FieldSelector{Field: aws.ToString(f.Field),
				Equals: f.Equals, NotEquals: f.NotEquals, StartsWith: f.StartsWith, NotStartsWith: f.NotStartsWith,
				EndsWith: f.EndsWith, NotEndsWith: f.NotEndsWith})
		}
		s.Advanced = append(s.Advanced, sel)
	}
	return s
}
