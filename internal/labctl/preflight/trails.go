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
// quota, and who already logs management events.
func (p *Preflight) trailChecks(ctx context.Context) ([]Check, error) {
	// Shadow trails are the copies of multi-region trails from other home
	// regions; they count against this region's quota too.
	out, err := p.CloudTrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		return nil, p.explain(err, "the trails of "+p.Region+" (cloudtrail:DescribeTrails)")
	}
	trails := out.TrailList
	slices.SortFunc(trails, func(a, b types.Trail) int { return strings.Compare(aws.ToString(a.TrailARN), aws.ToString(b.TrailARN)) })
	checks := []Check{p.trailNameCheck(trails), p.trailQuotaCheck(trails)}
	mgmt, err := p.managementEventsCheck(ctx, trails)
	if err != nil {
		return checks, err
	}
	return append(checks, mgmt), nil
}

func (p *Preflight) trailNameCheck(trails []types.Trail) Check {
	c := Check{Name: "trail-name"}
	name := p.Config.TrailName
	change := fmt.Sprintf("`pulumi config set kms-lab:%s %s-%s --stack %s`", config.TrailName, name, p.Stack, p.Stack)
	for _, t := range trails {
		if aws.ToString(t.Name) != name {
			continue
		}
		c.Status = report.Fail
		if home := aws.ToString(t.HomeRegion); home != p.Region {
			c.Detail = fmt.Sprintf("trail %s already covers %s: it is a multi-region trail of %s (%s); choose another name: %s",
				name, p.Region, home, aws.ToString(t.TrailARN), change)
			return c
		}
		c.Detail = fmt.Sprintf("trail %s already exists in %s (%s), made outside this stack; pulumi up would fail with TrailAlreadyExistsException. Adopt it: %s; or choose another name: %s",
			name, p.Region, aws.ToString(t.TrailARN), p.importCommand(typeTrail, aws.ToString(t.TrailARN)), change)
		return c
	}
	c.Status, c.Detail = report.Pass, fmt.Sprintf("no trail named %s in %s", name, p.Region)
	return c
}

func (p *Preflight) trailQuotaCheck(trails []types.Trail) Check {
	c := Check{Name: "trail-quota"}
	var names []string
	for _, t := range trails {
		if aws.ToString(t.Name) == p.Config.TrailName {
			// Adopting it (see trail-name) takes no new slot.
			c.Status, c.Detail = report.Pass, fmt.Sprintf("%d of %d trails in %s, one of them %s", len(trails), maxTrailsPerRegion, p.Region, p.Config.TrailName)
			return c
		}
		names = append(names, fmt.Sprintf("%s (home %s)", aws.ToString(t.Name), aws.ToString(t.HomeRegion)))
	}
	if len(trails) >= maxTrailsPerRegion {
		c.Status = report.Fail
		c.Detail = fmt.Sprintf("%d of %d trails already in %s: %s; CloudTrail allows %d per region and the quota cannot be raised, so creating %s would fail with MaximumNumberOfTrailsExceededException. Delete one (`aws cloudtrail delete-trail --name NAME --region HOME`) or deploy the stack to another region",
			len(trails), maxTrailsPerRegion, p.Region, strings.Join(names, ", "), maxTrailsPerRegion, p.Config.TrailName)
		return c
	}
	c.Status, c.Detail = report.Pass, fmt.Sprintf("%d of %d trails in %s: room for %s", len(trails), maxTrailsPerRegion, p.Region, p.Config.TrailName)
	return c
}

// managementEventsCheck warns when another trail already delivers
// management events here: CloudTrail's first copy is free, every further
// copy is billed, and myTrail always logs management events.
func (p *Preflight) managementEventsCheck(ctx context.Context, trails []types.Trail) (Check, error) {
	c := Check{Name: "management-events"}
	var logging []string
	for _, t := range trails {
		if aws.ToString(t.Name) == p.Config.TrailName {
			continue
		}
		arn := aws.ToString(t.TrailARN)
		// An ARN, not a name: only the ARN finds a shadow trail's status.
		status, err := p.CloudTrail.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(arn)})
		if err != nil {
			return c, p.explain(err, "the status of trail "+arn+" (cloudtrail:GetTrailStatus)")
		}
		if !aws.ToBool(status.IsLogging) {
			continue
		}
		sel, err := p.CloudTrail.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(arn)})
		if err != nil {
			return c, p.explain(err, "the event selectors of trail "+arn+" (cloudtrail:GetEventSelectors)")
		}
		if logsManagementEvents(sel) {
			logging = append(logging, aws.ToString(t.Name))
		}
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
