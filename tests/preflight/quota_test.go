package preflight_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// otherRegion is the home region of the trails made elsewhere.
const otherRegion = "us-east-1"

// remoteTrail makes a trail whose home is otherRegion. A multi-region one
// has a shadow trail in every other region (CloudTrail API Reference,
// UpdateTrail, IsMultiRegionTrail: "shadow trails (replications of the
// trail) will be created in the other Regions"), which DescribeTrails with
// includeShadowTrails returns in us-west-2 too; a single-region one exists
// only in its home region.
func (la *labAccount) remoteTrail(name string, multiRegion bool) {
	bucket := name + "-logs"
	la.bucket(bucket)
	cfg := la.cfg.Copy()
	cfg.Region = otherRegion
	_, err := cloudtrail.NewFromConfig(cfg).CreateTrail(la.ctx(), &cloudtrail.CreateTrailInput{
		Name: aws.String(name), S3BucketName: aws.String(bucket),
		IsMultiRegionTrail: aws.Bool(multiRegion), IncludeGlobalServiceEvents: aws.Bool(multiRegion)})
	require.NoError(la.t, err)
}

// CloudTrail's quota is "Trails per Region: 5 ... This quota cannot be
// increased" (AWS CloudTrail User Guide, "Quotas in AWS CloudTrail"), and a
// multi-region trail of another home region counts in every region its
// shadow trails are in (the same page: "In shadow Regions, to get latest
// resource count metric, call the ListTrails API"). myTrail is a new
// single-region trail in us-west-2, so preflight must find room for a sixth
// trail nowhere: 4 trails leave room, 5 do not, whichever region they come
// from. moto 5.2 does not enforce the quota (CreateTrail never answers
// MaximumNumberOfTrailsExceededException), so every trail below is real to
// moto and the verdict is preflight's alone.
func TestPreflightTrailQuotaAtTheLimit(t *testing.T) {
	tests := []struct {
		name        string
		local       []string // single-region trails of us-west-2
		multiRegion []string // multi-region trails whose home is us-east-1
		singleElse  []string // single-region trails of us-east-1: not here
		status      string
		code        int
		details     []string
	}{
		{name: "4 trails here: room for myTrail", local: []string{"t-a", "t-b", "t-c", "t-d"},
			status: "pass", details: []string{"4 of 5 trails in us-west-2: room for myTrail"}},
		{name: "5 trails here: full", local: []string{"t-a", "t-b", "t-c", "t-d", "t-e"},
			status: "fail", code: 1, details: []string{"5 of 5 trails already in us-west-2", "t-e (home us-west-2)",
				"MaximumNumberOfTrailsExceededException", "the quota cannot be raised"}},
		{name: "3 here and a multi-region trail of us-east-1: room", local: []string{"t-a", "t-b", "t-c"}, multiRegion: []string{"org-all"},
			status: "pass", details: []string{"4 of 5 trails in us-west-2: room for myTrail"}},
		{name: "4 here and a multi-region trail of us-east-1: full", local: []string{"t-a", "t-b", "t-c", "t-d"}, multiRegion: []string{"org-all"},
			status: "fail", code: 1, details: []string{"5 of 5 trails already in us-west-2", "org-all (home us-east-1)", "MaximumNumberOfTrailsExceededException"}},
		{name: "4 here and a single-region trail of us-east-1: room", local: []string{"t-a", "t-b", "t-c", "t-d"}, singleElse: []string{"east-only"},
			status: "pass", details: []string{"4 of 5 trails in us-west-2: room for myTrail"}},
		// An existing myTrail is adopted by `pulumi import` (trail-name says
		// how), which creates no trail, so a full region is no obstacle.
		{name: "5 here, one of them myTrail: nothing to create", local: []string{"t-a", "t-b", "t-c", "t-d", "myTrail"},
			status: "pass", details: []string{"5 of 5 trails in us-west-2, one of them myTrail"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			la := newLabAccount(t)
			for _, name := range tt.local {
				la.trail(name, false)
			}
			for _, name := range tt.multiRegion {
				la.remoteTrail(name, true)
			}
			for _, name := range tt.singleElse {
				la.remoteTrail(name, false)
			}
			res := la.run("")
			assertCheck(t, res, "trail-quota", tt.status, tt.details...)
			if tt.code != 0 {
				// A fail makes preflight exit 1, so `pulumi up` is not run.
				assert.Equal(t, tt.code, res.code, res.checks)
			}
		})
	}
}
