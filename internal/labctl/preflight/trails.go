package preflight

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/report"
)

// maxTrailsPerRegion is CloudTrail's quota: "Trails per Region: 5 ... This
// quota cannot be increased" (AWS CloudTrail User Guide, "Quotas in AWS
// CloudTrail"). CreateTrail beyond it fails with
// MaximumNumberOfTrailsExceededException.
const maxTrailsPerRegion = 5

// secondCopyPrice is the figure docs/costs.md gives for a second copy of
// management events (AWS CloudTrail pricing).
const secondCopyPrice = "$2.00 per 100,000 management events, about $0.01 for the lab's 500 events (docs/costs.md)"

// trailChecks reads the region's trails once and checks the trail name, the
// quota, and who already logs management events. A trail that holds the
// stack's trail name is looked at once, tag included, and all three checks
// judge from that.
func (p *Preflight) trailChecks(ctx context.Context) ([]Check, error) {
	// Shadow trails are the copies of multi-region trails from other home
	// regions; they count against this region's quota too.
	out, err := p.CloudTrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		return nil, p.explain(err, "the trails of "+p.Region)
	}
	trails := out.TrailList
	slices.SortFunc(trails, func(a, b types.Trail) int { return strings.Compare(aws.ToString(a.TrailARN), aws.ToString(b.TrailARN)) })
	named := p.namedTrail(ctx, trails)
	checks := []Check{p.trailNameCheck(named), p.trailQuotaCheck(trails, named)}
	mgmt, err := p.managementEventsCheck(ctx, trails, named)
	if err != nil {
		return checks, err
	}
	return append(checks, mgmt), nil
}

// sameName is the trail that already holds the stack's trail name, if any.
type sameName struct {
	trail *types.Trail // nil when the name is free here
	home  string       // its home region
	taken taken        // what trail-name judges
}

// keeps says whether pulumi up ends with that trail as the stack's own,
// creating no trail: it is this stack's (a second deploy), or made by
// hand in this region and adopted by the `pulumi import` trail-name gives.
// Another stack's trail, or a multi-region trail of another home region,
// can only be avoided by another name, which creates a trail.
func (n sameName) keeps(stack, region string) bool {
	if n.trail == nil || n.home != region {
		return false
	}
	o := ownerOf(stack, n.taken)
	return o == thisStack || o == untagged
}

// namedTrail finds the trail holding the stack's trail name and reads its
// kms-lab:stack tag, in its home region: CloudTrail's ListTags answers for
// the trails of the region it is called in (AWS CloudTrail API Reference,
// ListTags).
func (p *Preflight) namedTrail(ctx context.Context, trails []types.Trail) sameName {
	name := p.Config.TrailName
	for i, t := range trails {
		if aws.ToString(t.Name) != name {
			continue
		}
		arn := aws.ToString(t.TrailARN)
		n := sameName{trail: &trails[i], home: aws.ToString(t.HomeRegion)}
		if n.home == "" {
			n.home = p.Region
		}
		change := fmt.Sprintf("`pulumi config set kms-lab:%s %s-%s --stack %s`", config.TrailName, name, p.Stack, p.Stack)
		n.taken = taken{
			Check:   "trail-name",
			Seen:    fmt.Sprintf("trail %s already exists in %s (%s)", name, p.Region, arn),
			Refusal: "TrailAlreadyExistsException",
			Adopt:   "Adopt it: " + p.importCommand(typeTrail, arn),
			Rename:  change,
		}
		if n.home != p.Region {
			n.taken.Seen = fmt.Sprintf("trail %s already covers %s: it is a multi-region trail of %s (%s)", name, p.Region, n.home, arn)
		}
		n.taken.Tagged, n.taken.TagErr = p.trailStackTag(ctx, n.home, arn)
		return n
	}
	return sameName{}
}

// trailStackTag is the kms-lab:stack tag of a trail, read in its home
// region; "" when it has none.
func (p *Preflight) trailStackTag(ctx context.Context, home, arn string) (string, error) {
	ct := p.CloudTrail
	if home != p.Region && p.CloudTrailIn != nil {
		ct = p.CloudTrailIn(home)
	}
	out, err := ct.ListTags(ctx, &cloudtrail.ListTagsInput{ResourceIdList: []string{arn}})
	if err != nil {
		return "", p.explain(err, "the tags of trail "+arn)
	}
	for _, rt := range out.ResourceTagList {
		for _, tag := range rt.TagsList {
			if aws.ToString(tag.Key) == config.StackTagKey {
				return aws.ToString(tag.Value), nil
			}
		}
	}
	return "", nil
}

func (p *Preflight) trailNameCheck(n sameName) Check {
	if n.trail == nil {
		return Check{Name: "trail-name", Status: report.Pass, Detail: fmt.Sprintf("no trail named %s in %s", p.Config.TrailName, p.Region)}
	}
	if n.home != p.Region && ownerOf(p.Stack, n.taken) != otherStack {
		// Not this stack's, whatever its tag says: this stack's trail has
		// its home here. It cannot be adopted from here either.
		return Check{Name: "trail-name", Status: report.Fail, Detail: fmt.Sprintf("%s; choose another name: %s", n.taken.Seen, n.taken.Rename)}
	}
	return nameCheck(p.Stack, n.taken)
}

// trailQuotaCheck asks whether pulumi up has room to create the stack's
// trail. It creates none when it keeps the trail of that name (a second
// deploy, or an adopted trail): then a full region is no obstacle. A trail
// of another stack under the name is no slot of this stack's: renaming,
// the only fix, creates a trail, so it counts like any other.
func (p *Preflight) trailQuotaCheck(trails []types.Trail, n sameName) Check {
	c := Check{Name: "trail-quota"}
	if n.keeps(p.Stack, p.Region) {
		c.Status, c.Detail = report.Pass, fmt.Sprintf("%d of %d trails in %s, one of them %s", len(trails), maxTrailsPerRegion, p.Region, p.Config.TrailName)
		return c
	}
	if len(trails) < maxTrailsPerRegion {
		c.Status, c.Detail = report.Pass, fmt.Sprintf("%d of %d trails in %s: room for %s", len(trails), maxTrailsPerRegion, p.Region, p.Config.TrailName)
		return c
	}
	if n.trail != nil && ownerOf(p.Stack, n.taken) == unreadable && n.home == p.Region {
		c.Status = report.Unknown
		c.Detail = fmt.Sprintf("%d of %d trails in %s, one of them %s, whose owner could not be read (see trail-name): pulumi up creates no trail if it is this stack's, and cannot create one otherwise; retry when its tag can be read",
			len(trails), maxTrailsPerRegion, p.Region, p.Config.TrailName)
		return c
	}
	names := make([]string, 0, len(trails))
	for _, t := range trails {
		names = append(names, fmt.Sprintf("%s (home %s)", aws.ToString(t.Name), aws.ToString(t.HomeRegion)))
	}
	c.Status = report.Fail
	c.Detail = fmt.Sprintf("%d of %d trails already in %s: %s; CloudTrail allows %d per region and the quota cannot be raised, so creating %s would fail with MaximumNumberOfTrailsExceededException. Delete one (`aws cloudtrail delete-trail --name NAME --region HOME`) or deploy the stack to another region",
		len(trails), maxTrailsPerRegion, p.Region, strings.Join(names, ", "), maxTrailsPerRegion, p.Config.TrailName)
	return c
}

// managementEventsCheck warns when another trail already delivers
// management events here: CloudTrail's first copy is free, every further
// copy is billed, and myTrail always logs management events.
//
// The trail pulumi up keeps as the stack's (its own from an earlier
// deploy, or the one it adopts) is the stack's copy, not another: a second
// deploy is not warned about itself. Another stack's trail of the same
// name is another copy. When the owner of that trail could not be read and
// nothing else decides, the check is unknown.
func (p *Preflight) managementEventsCheck(ctx context.Context, trails []types.Trail, n sameName) (Check, error) {
	c := Check{Name: "management-events"}
	var logging []string
	unsure := false // the same-name trail logs them, and its owner is unknown
	for _, t := range trails {
		arn := aws.ToString(t.TrailARN)
		same := n.trail != nil && arn == aws.ToString(n.trail.TrailARN)
		if same && n.keeps(p.Stack, p.Region) {
			continue
		}
		// An ARN, not a name: only the ARN finds a shadow trail's status.
		status, err := p.CloudTrail.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(arn)})
		if err != nil {
			return c, p.explain(err, "the status of trail "+arn)
		}
		if !aws.ToBool(status.IsLogging) {
			continue
		}
		sel, err := p.CloudTrail.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(arn)})
		if err != nil {
			return c, p.explain(err, "the event selectors of trail "+arn)
		}
		switch {
		case !logsManagementEvents(sel):
		case same && ownerOf(p.Stack, n.taken) == unreadable:
			unsure = true
		default:
			logging = append(logging, aws.ToString(t.Name))
		}
	}
	if len(logging) == 0 && unsure {
		c.Status = report.Unknown
		c.Detail = fmt.Sprintf("%s logs management events in %s, and whether it is this stack's trail or a second copy could not be read (see trail-name); retry when its tag can be read",
			p.Config.TrailName, p.Region)
		return c, nil
	}
	if len(logging) == 0 {
		c.Status, c.Detail = report.Pass, fmt.Sprintf("no other trail logs management events in %s: %s's copy is the free first copy", p.Region, p.Config.TrailName)
		return c, nil
	}
	c.Status = report.Warn
	c.Detail = fmt.Sprintf("%s already log(s) management events in %s, so %s's copy is a second copy, billed at %s; nothing to fix for the lab",
		strings.Join(logging, ", "), p.Region, p.Config.TrailName, secondCopyPrice)
	return c, nil
}

// logsManagementEvents reads basic selectors (IncludeManagementEvents) and
// advanced ones (a selector on eventCategory = Management).
func logsManagementEvents(out *cloudtrail.GetEventSelectorsOutput) bool {
	for _, s := range out.EventSelectors {
		if aws.ToBool(s.IncludeManagementEvents) {
			return true
		}
	}
	for _, s := range out.AdvancedEventSelectors {
		for _, f := range s.FieldSelectors {
			if aws.ToString(f.Field) == "eventCategory" && slices.Contains(f.Equals, "Management") {
				return true
			}
		}
	}
	return false
}
