package preflight

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/report"
)

// The program tags every taggable resource kms-lab:stack=<stack>
// (internal/labstack/program.go), so a name check tells a stack's second
// deploy from a clash by that tag. Each expectation is reasoned from what
// `pulumi up` does next: its own resource is updated in place (pass);
// another stack's cannot be shared or taken (fail, naming that stack,
// renaming the only fix); an untagged one is adopted with `pulumi import`
// or avoided by renaming (fail, both fixes); an unread tag decides nothing
// (unknown, with the read's own reason and retry time).
func TestNameCheck(t *testing.T) {
	base := taken{
		Check: "alias-name", Seen: "alias/myFirstKey already exists in us-west-2 (key 1234abcd)",
		Refusal: "AlreadyExistsException", Adopt: "Adopt it: `pulumi import ...`",
		Rename: "`pulumi config set kms-lab:keyAlias myFirstKey-acct01 --stack acct01`",
	}
	with := func(tag string, err error) taken { t := base; t.Tagged, t.TagErr = tag, err; return t }
	tests := []struct {
		name   string
		taken  taken
		status report.Status
		detail string
	}{
		{"this stack's, from its first deploy", with("acct01", nil), report.Pass,
			"alias/myFirstKey already exists in us-west-2 (key 1234abcd), tagged kms-lab:stack=acct01: owned by this stack, which pulumi up updates in place"},
		{"another stack's", with("acct02", nil), report.Fail,
			"alias/myFirstKey already exists in us-west-2 (key 1234abcd), owned by stack acct02 (tagged kms-lab:stack=acct02); pulumi up would fail with AlreadyExistsException, and two stacks cannot share it: choose another name: `pulumi config set kms-lab:keyAlias myFirstKey-acct01 --stack acct01`"},
		{"untagged, made by hand", with("", nil), report.Fail,
			"alias/myFirstKey already exists in us-west-2 (key 1234abcd), made outside this stack (no kms-lab:stack tag); pulumi up would fail with AlreadyExistsException. Adopt it: `pulumi import ...`; or choose another name: `pulumi config set kms-lab:keyAlias myFirstKey-acct01 --stack acct01`"},
		{"the tag could not be read", with("", errors.New("AWS throttled this read of the tags of key 1234abcd; retry in a minute")), report.Unknown,
			"alias/myFirstKey already exists in us-west-2 (key 1234abcd), and its kms-lab:stack tag, which says whether this stack made it, could not be read: AWS throttled this read of the tags of key 1234abcd; retry in a minute"},
		// A stack name that merely starts like this one's is another stack.
		{"a stack whose name extends this one's", with("acct01-old", nil), report.Fail, "owned by stack acct01-old"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := nameCheck("acct01", tt.taken)
			assert.Equal(t, "alias-name", c.Name)
			assert.Equal(t, tt.status, c.Status, c.Detail)
			assert.Contains(t, c.Detail, tt.detail)
		})
	}
}

// errTags makes every ListTags fail, as a throttled or denied read does.
type errTags struct{ *fakeTrails }

func (errTags) ListTags(context.Context, *cloudtrail.ListTagsInput, ...func(*cloudtrail.Options)) (*cloudtrail.ListTagsOutput, error) {
	return nil, errors.New("throttled")
}

// A stack's trail on its second deploy, in a region with CloudTrail's five
// trails ("Trails per Region: 5 ... This quota cannot be increased", AWS
// CloudTrail User Guide, "Quotas in AWS CloudTrail"), four of them
// another's and logging management events or not. What pulumi up does
// with myTrail decides both trail-quota and management-events:
//   - this stack's: updated in place, so no trail is created (quota
//     passes) and it is the stack's own copy of management events, not a
//     second one (no warn from it);
//   - another stack's: only renaming avoids it, which creates a sixth
//     trail (quota fails), and it is another copy (warn, naming it);
//   - untagged: adopted by `pulumi import` (trail-name's first fix), as
//     before tags were read: no new trail, the stack's copy;
//   - tag unread: whether a trail is created, and whether its copy is a
//     second one, is not known (unknown, both).
func TestTrailOwnershipQuotaAndCopies(t *testing.T) {
	const (
		region = "us-west-2"
		mine   = "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail"
	)
	trails := []cttypes.Trail{{Name: aws.String("myTrail"), TrailARN: aws.String(mine), HomeRegion: aws.String(region)}}
	for _, n := range []string{"t-a", "t-b", "t-c", "t-d"} {
		trails = append(trails, cttypes.Trail{Name: aws.String(n), TrailARN: aws.String("arn:aws:cloudtrail:us-west-2:111122223333:trail/" + n), HomeRegion: aws.String(region)})
	}
	mgmt := &cloudtrail.GetEventSelectorsOutput{EventSelectors: []cttypes.EventSelector{{IncludeManagementEvents: aws.Bool(true)}}}
	tests := []struct {
		name                     string
		tag                      *string // myTrail's kms-lab:stack tag; nil: none
		unreadable               bool
		trailName, quota, copies report.Status
		quotaDetail              string
		copyDetail               string
	}{
		{name: "this stack's", tag: aws.String("acct01"), trailName: report.Pass, quota: report.Pass, copies: report.Pass,
			quotaDetail: "5 of 5 trails in us-west-2, one of them myTrail", copyDetail: "no other trail logs management events"},
		{name: "another stack's", tag: aws.String("acct02"), trailName: report.Fail, quota: report.Fail, copies: report.Warn,
			quotaDetail: "5 of 5 trails already in us-west-2", copyDetail: "myTrail already log(s) management events in us-west-2"},
		{name: "untagged", trailName: report.Fail, quota: report.Pass, copies: report.Pass,
			quotaDetail: "one of them myTrail", copyDetail: "no other trail logs management events"},
		{name: "tag unread", unreadable: true, trailName: report.Unknown, quota: report.Unknown, copies: report.Unknown,
			quotaDetail: "whose owner could not be read (see trail-name)", copyDetail: "could not be read (see trail-name); retry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeTrails{logging: map[string]bool{mine: true}, selectors: map[string]*cloudtrail.GetEventSelectorsOutput{mine: mgmt}, stackTag: map[string]string{}}
			if tt.tag != nil {
				f.stackTag[mine] = *tt.tag
			}
			var ct CloudTrailAPI = f
			if tt.unreadable {
				ct = errTags{f}
			}
			p := &Preflight{Stack: "acct01", Account: labAccount, Region: region, Config: &config.Config{TrailName: "myTrail"}, CloudTrail: ct}
			n := p.namedTrail(context.Background(), trails)
			assert.Equal(t, tt.trailName, p.trailNameCheck(n).Status, p.trailNameCheck(n).Detail)
			q := p.trailQuotaCheck(trails, n)
			assert.Equal(t, tt.quota, q.Status, q.Detail)
			assert.Contains(t, q.Detail, tt.quotaDetail)
			c, err := p.managementEventsCheck(context.Background(), trails, n)
			require.NoError(t, err)
			assert.Equal(t, tt.copies, c.Status, c.Detail)
			assert.Contains(t, c.Detail, tt.copyDetail)
		})
	}
}
