package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudtrail"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The Insights types the lab selects (API call rate, API error rate).
const (
	InsightAPICallRate  = "ApiCallRateInsight"
	InsightAPIErrorRate = "ApiErrorRateInsight"
)

// AuditTrailArgs configures the lab's trail.
type AuditTrailArgs struct {
	Name       string
	BucketName pulumi.StringInput
	Partition  string
	// DataEvents logs S3 object events for all current and future buckets.
	DataEvents bool
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
	selector := &cloudtrail.TrailEventSelectorArgs{
		ReadWriteType:           pulumi.String("All"),
		IncludeManagementEvents: pulumi.Bool(true),
	}
	if args.DataEvents {
		// The basic-selector value "arn:<partition>:s3" means every object in
		// every current and future bucket, as the lab's console choice does.
		selector.DataResources = cloudtrail.TrailEventSelectorDataResourceArray{
			&cloudtrail.TrailEventSelectorDataResourceArgs{
				Type:   pulumi.String("AWS::S3::Object"),
				Values: pulumi.StringArray{pulumi.String("arn:" + args.Partition + ":s3")},
			},
		}
	}
	var insights cloudtrail.TrailInsightSelectorArray
	for _, it := range args.InsightTypes {
		insights = append(insights, &cloudtrail.TrailInsightSelectorArgs{InsightType: pulumi.String(it)})
	}
	var err error
	t.Trail, err = cloudtrail.NewTrail(ctx, name, &cloudtrail.TrailArgs{
		Name:                       pulumi.String(args.Name),
		S3BucketName:               args.BucketName,
		IsMultiRegionTrail:         pulumi.Bool(true),
		IncludeGlobalServiceEvents: pulumi.Bool(true),
		EnableLogFileValidation:    pulumi.Bool(true),
		EnableLogging:              pulumi.Bool(true),
		EventSelectors:             cloudtrail.TrailEventSelectorArray{selector},
		InsightSelectors:           insights,
		Tags:                       stringMap(args.Tags),
	}, pulumi.Parent(t), pulumi.DependsOn(args.BucketReady))
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
