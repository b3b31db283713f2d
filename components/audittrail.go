package components

import (
	"fmt"

	"github.com/kms-lab/kms-lab/policies"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudtrail"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The Insights types the lab selects (API call rate, API error rate).
const (
	InsightAPICallRate  = "ApiCallRateInsight"
	InsightAPIErrorRate = "ApiErrorRateInsight"
)

// Names of the advanced event selectors, as the console shows them.
const (
	advancedSelectorManagement = "Management events"
	advancedSelectorS3Data     = "S3 data events, except the trail's own bucket"
)

// AuditTrailArgs configures the lab's trail.
type AuditTrailArgs struct {
	Name       string
	BucketName pulumi.StringInput
	Partition  string
	// DataEvents logs S3 object events for all current and future buckets.
	DataEvents bool
	// DataEventsExcludeTrailBucket leaves the trail's own bucket out of the
	// data events. AWS's CloudTrail guide warns that logging data events for
	// the bucket that receives the log files makes every delivery an event of
	// the next one; only advanced event selectors can exclude one bucket.
	DataEventsExcludeTrailBucket bool
	// InsightTypes lists the Insights selectors; empty turns Insights off.
	InsightTypes []string
	// BucketReady is what must exist before CloudTrail first writes: the
	// bucket policy. Without it AWS answers InsufficientS3BucketPolicyException.
	BucketReady []pulumi.Resource
	Tags        map[string]string
}

// AuditTrail is a multi-region CloudTrail trail with log file validation,
// management events, optional S3 data events and optional Insights.
type AuditTrail struct {
	pulumi.ResourceState

	Trail *cloudtrail.Trail

	TrailARN  pulumi.StringOutput `pulumi:"trailArn"`
	TrailName pulumi.StringOutput `pulumi:"trailName"`
}

// NewAuditTrail creates the trail.
func NewAuditTrail(ctx *pulumi.Context, name string, args *AuditTrailArgs, opts ...pulumi.ResourceOption) (*AuditTrail, error) {
	if args == nil {
		return nil, fmt.Errorf("audit trail %s: args are required", name)
	}
	t := &AuditTrail{}
	if err := ctx.RegisterComponentResource(AuditTrailType, name, t, opts...); err != nil {
		return nil, fmt.Errorf("audit trail %s: %w", name, err)
	}
	var insights cloudtrail.TrailInsightSelectorArray
	for _, it := range args.InsightTypes {
		insights = append(insights, &cloudtrail.TrailInsightSelectorArgs{InsightType: pulumi.String(it)})
	}
	var err error
	trailArgs := &cloudtrail.TrailArgs{
		Name:                       pulumi.String(args.Name),
		S3BucketName:               args.BucketName,
		IsMultiRegionTrail:         pulumi.Bool(true),
		IncludeGlobalServiceEvents: pulumi.Bool(true),
		EnableLogFileValidation:    pulumi.Bool(true),
		EnableLogging:              pulumi.Bool(true),
		InsightSelectors:           insights,
		Tags:                       stringMap(args.Tags),
	}
	if args.DataEvents && args.DataEventsExcludeTrailBucket {
		trailArgs.AdvancedEventSelectors = advancedSelectorsExcluding(args.Partition, args.BucketName)
	} else {
		trailArgs.EventSelectors = cloudtrail.TrailEventSelectorArray{basicSelector(args.Partition, args.DataEvents)}
	}
	t.Trail, err = cloudtrail.NewTrail(ctx, name, trailArgs, pulumi.Parent(t), pulumi.DependsOn(args.BucketReady))
	if err != nil {
		return nil, fmt.Errorf("audit trail %s: trail: %w", name, err)
	}
	t.TrailARN = t.Trail.Arn
	t.TrailName = t.Trail.Name
	if err := ctx.RegisterResourceOutputs(t, pulumi.Map{
		"trailArn":  t.TrailARN,
		"trailName": t.TrailName,
	}); err != nil {
		return nil, fmt.Errorf("audit trail %s: register outputs: %w", name, err)
	}
	return t, nil
}

// basicSelector is the console's basic event selector: all management events
// and, with data events on, every S3 object in every current and future
// bucket, which the basic-selector value "arn:<partition>:s3" means.
func basicSelector(partition string, dataEvents bool) *cloudtrail.TrailEventSelectorArgs {
	selector := &cloudtrail.TrailEventSelectorArgs{
		ReadWriteType:           pulumi.String("All"),
		IncludeManagementEvents: pulumi.Bool(true),
	}
	if dataEvents {
		selector.DataResources = cloudtrail.TrailEventSelectorDataResourceArray{
			&cloudtrail.TrailEventSelectorDataResourceArgs{
				Type:   pulumi.String("AWS::S3::Object"),
				Values: pulumi.StringArray{pulumi.String("arn:" + partition + ":s3")},
			},
		}
	}
	return selector
}

// advancedSelectorsExcluding logs management events and S3 object data
// events for every bucket but one. A trail uses either basic or advanced
// selectors, never both, so management events get an advanced selector too.
// Field names and operators: CloudTrail User Guide, "Filtering data events
// by using advanced event selectors".
func advancedSelectorsExcluding(partition string, bucket pulumi.StringInput) cloudtrail.TrailAdvancedEventSelectorArray {
	field := func(name string, equals ...string) *cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs {
		return &cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{Field: pulumi.String(name), Equals: pulumi.ToStringArray(equals)}
	}
	// The trailing slash matches the bucket's objects and no other bucket
	// whose name merely starts with this one's.
	objects := bucket.ToStringOutput().ApplyT(func(b string) string { return policies.ObjectARN(partition, b, "") }).(pulumi.StringOutput)
	return cloudtrail.TrailAdvancedEventSelectorArray{
		&cloudtrail.TrailAdvancedEventSelectorArgs{
			Name:           pulumi.String(advancedSelectorManagement),
			FieldSelectors: cloudtrail.TrailAdvancedEventSelectorFieldSelectorArray{field("eventCategory", "Management")},
		},
		&cloudtrail.TrailAdvancedEventSelectorArgs{
			Name: pulumi.String(advancedSelectorS3Data),
			FieldSelectors: cloudtrail.TrailAdvancedEventSelectorFieldSelectorArray{
				field("eventCategory", "Data"),
				field("resources.type", "AWS::S3::Object"),
				&cloudtrail.TrailAdvancedEventSelectorFieldSelectorArgs{
					Field:          pulumi.String("resources.ARN"),
					NotStartsWiths: pulumi.StringArray{objects},
				},
			},
		},
	}
}
