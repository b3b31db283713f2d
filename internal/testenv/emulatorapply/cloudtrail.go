package emulatorapply

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/kms-lab/kms-lab/internal/plan"
)

// trailInputs are the aws:cloudtrail/trail:Trail inputs the applier
// understands.
type trailInputs struct {
	Name                       string            `json:"name"`
	S3BucketName               string            `json:"s3BucketName"`
	S3KeyPrefix                string            `json:"s3KeyPrefix"`
	KMSKeyID                   string            `json:"kmsKeyId"`
	IsMultiRegionTrail         bool              `json:"isMultiRegionTrail"`
	IncludeGlobalServiceEvents *bool             `json:"includeGlobalServiceEvents"`
	EnableLogFileValidation    bool              `json:"enableLogFileValidation"`
	EnableLogging              *bool             `json:"enableLogging"`
	Tags                       map[string]string `json:"tags"`
	EventSelectors             []struct {
		ReadWriteType                 string   `json:"readWriteType"`
		IncludeManagementEvents       *bool    `json:"includeManagementEvents"`
		ExcludeManagementEventSources []string `json:"excludeManagementEventSources"`
		DataResources                 []struct {
			Type   string   `json:"type"`
			Values []string `json:"values"`
		} `json:"dataResources"`
	} `json:"eventSelectors"`
	AdvancedEventSelectors []struct {
		Name string `json:"name"`
		// The provider's input names (pulumi-aws cloudtrail
		// TrailAdvancedEventSelectorFieldSelectorArgs): plural except for
		// equals and notEquals.
		FieldSelectors []struct {
			Field         string   `json:"field"`
			Equals        []string `json:"equals"`
			NotEquals     []string `json:"notEquals"`
			StartsWith    []string `json:"startsWiths"`
			NotStartsWith []string `json:"notStartsWiths"`
			EndsWith      []string `json:"endsWiths"`
			NotEndsWith   []string `json:"notEndsWiths"`
		} `json:"fieldSelectors"`
	} `json:"advancedEventSelectors"`
	InsightSelectors []struct {
		InsightType string `json:"insightType"`
	} `json:"insightSelectors"`
}

// createTrail makes the provider's calls: CreateTrail (with tags), then
// PutEventSelectors (basic or advanced), PutInsightSelectors and
// StartLogging. Unset, includeGlobalServiceEvents and enableLogging default
// to true, as in the provider.
func createTrail(ctx context.Context, a *applier, _ plan.Resource, in *trailInputs) (string, error) {
	if len(in.EventSelectors) > 0 && len(in.AdvancedEventSelectors) > 0 {
		// CloudTrail PutEventSelectors takes one or the other.
		return "", fmt.Errorf("eventSelectors and advancedEventSelectors are both set; CloudTrail accepts only one of them")
	}
	input := &cloudtrail.CreateTrailInput{
		Name:                       aws.String(in.Name),
		S3BucketName:               aws.String(in.S3BucketName),
		IsMultiRegionTrail:         aws.Bool(in.IsMultiRegionTrail),
		IncludeGlobalServiceEvents: aws.Bool(in.IncludeGlobalServiceEvents == nil || *in.IncludeGlobalServiceEvents),
		EnableLogFileValidation:    aws.Bool(in.EnableLogFileValidation),
		TagsList:                   trailTags(in.Tags),
	}
	if in.S3KeyPrefix != "" {
		input.S3KeyPrefix = aws.String(in.S3KeyPrefix)
	}
	if in.KMSKeyID != "" {
		input.KmsKeyId = aws.String(in.KMSKeyID)
	}
	created, err := a.clients.cloudtrail.CreateTrail(ctx, input)
	if err != nil {
		return "", fmt.Errorf("cloudtrail CreateTrail %s: %w", in.Name, err)
	}
	arn := aws.ToString(created.TrailARN)
	name := aws.String(in.Name)

	switch {
	case len(in.EventSelectors) > 0:
		var sel []cttypes.EventSelector
		for _, s := range in.EventSelectors {
			es := cttypes.EventSelector{ReadWriteType: cttypes.ReadWriteType(s.ReadWriteType),
				IncludeManagementEvents: s.IncludeManagementEvents, ExcludeManagementEventSources: s.ExcludeManagementEventSources}
			for _, d := range s.DataResources {
				es.DataResources = append(es.DataResources, cttypes.DataResource{Type: aws.String(d.Type), Values: d.Values})
			}
			sel = append(sel, es)
		}
		if _, err := a.clients.cloudtrail.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: name, EventSelectors: sel}); err != nil {
			return "", fmt.Errorf("cloudtrail PutEventSelectors %s: %w", in.Name, err)
		}
	case len(in.AdvancedEventSelectors) > 0:
		var sel []cttypes.AdvancedEventSelector
		for _, s := range in.AdvancedEventSelectors {
			as := cttypes.AdvancedEventSelector{}
			if s.Name != "" {
				as.Name = aws.String(s.Name)
			}
			for _, f := range s.FieldSelectors {
				as.FieldSelectors = append(as.FieldSelectors, cttypes.AdvancedFieldSelector{Field: aws.String(f.Field),
					Equals: f.Equals, NotEquals: f.NotEquals, StartsWith: f.StartsWith, NotStartsWith: f.NotStartsWith,
					EndsWith: f.EndsWith, NotEndsWith: f.NotEndsWith})
			}
			sel = append(sel, as)
		}
		if _, err := a.clients.cloudtrail.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: name, AdvancedEventSelectors: sel}); err != nil {
			return "", fmt.Errorf("cloudtrail PutEventSelectors (advanced) %s: %w", in.Name, err)
		}
	}
	if len(in.InsightSelectors) > 0 {
		var sel []cttypes.InsightSelector
		for _, s := range in.InsightSelectors {
			sel = append(sel, cttypes.InsightSelector{InsightType: cttypes.InsightType(s.InsightType)})
		}
		if _, err := a.clients.cloudtrail.PutInsightSelectors(ctx, &cloudtrail.PutInsightSelectorsInput{TrailName: name, InsightSelectors: sel}); err != nil {
			return "", fmt.Errorf("cloudtrail PutInsightSelectors %s: %w", in.Name, err)
		}
	}
	if in.EnableLogging == nil || *in.EnableLogging {
		if _, err := a.clients.cloudtrail.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: name}); err != nil {
			return "", fmt.Errorf("cloudtrail StartLogging %s: %w", in.Name, err)
		}
	}
	return arn, nil
}

func trailTags(tags map[string]string) []cttypes.Tag {
	var out []cttypes.Tag
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, cttypes.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	return out
}
