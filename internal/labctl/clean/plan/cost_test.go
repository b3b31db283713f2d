package plan

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/stretchr/testify/assert"
)

// The rates are docs/costs.md's ("The pricing facts"): the first copy of
// management events is free and another costs $2.00 per 100,000; data
// events $0.10 per 100,000 (AWS CloudTrail pricing); Insights about $0.35
// per 100,000 events analyzed per type, unconfirmed.
func TestTrailCost(t *testing.T) {
	mgmt := cttypes.EventSelector{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true)}
	// Task 2: management events, S3 data events of every bucket, both
	// Insights types.
	guide := mgmt
	guide.DataResources = []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3"}}}
	both := []cttypes.InsightSelector{{InsightType: cttypes.InsightTypeApiCallRateInsight}, {InsightType: cttypes.InsightTypeApiErrorRateInsight}}
	tests := []struct {
		name     string
		sel      []cttypes.EventSelector
		insights []cttypes.InsightSelector
		want     string
	}{
		{"the guide's trail", []cttypes.EventSelector{guide}, both,
			"logs management events, data events of AWS::S3::Object arn:aws:s3, Insights (ApiCallRateInsight, ApiErrorRateInsight); " +
				"each day it runs costs what that day's events cost: management events are free in the account's first copy and $2.00 per 100,000 in another, " +
				"data events cost $0.10 per 100,000 and Insights costs about $0.35 per 100,000 events analyzed per type (unconfirmed)"},
		{"management events only", []cttypes.EventSelector{mgmt}, nil,
			"logs management events; each day it runs costs what that day's events cost: management events are free in the account's first copy and $2.00 per 100,000 in another"},
		{"nothing", []cttypes.EventSelector{{IncludeManagementEvents: aws.Bool(false)}}, nil, "logs no events; costs nothing a day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, trailCost(tt.sel, nil, tt.insights))
		})
	}
}
