package clean

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/clean/plan"
)

// The account model's snapshot of a lab done by hand, judged by clean's
// plan: what the snapshot proves is planned, and what it does not hold is
// never taken for "not there".
func TestFromSnapshot(t *testing.T) {
	const (
		acct   = "111122223333"
		bucket = "mycloudtrailbucket10619"
		keyID  = "1234abcd-12ab-34cd-56ef-1234567890ab"
		arn    = "arn:aws:cloudtrail:us-east-1:111122223333:trail/myTrail"
	)
	// CloudTrail console's bucket policy for the trail (CloudTrail User
	// Guide, "Amazon S3 bucket policy for CloudTrail"), its write statement.
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},` +
		`"Action":"s3:PutObject","Resource":"arn:aws:s3:::` + bucket + `/AWSLogs/` + acct + `/*",` +
		`"Condition":{"StringEquals":{"aws:SourceArn":"` + arn + `"}}}]}`
	snapshot := func() *account.Snapshot {
		return &account.Snapshot{
			Taken: account.Taken{Account: acct, Region: "us-west-2"},
			Names: account.Names{Alias: "alias/myFirstKey", Trail: "myTrail", BucketPrefix: "mycloudtrailbucket"},
			Trails: account.Value([]account.Trail{{Name: "myTrail", ARN: arn, HomeRegion: "us-east-1", Bucket: bucket, MultiRegion: true,
				Tags: account.Value([]account.Tag{}), Selectors: account.Value(account.Selectors{Basic: []account.EventSelector{{IncludeManagementEvents: true}}}),
				Insights: account.Value([]string{})}}),
			BucketList: account.Value([]account.BucketRef{{Name: bucket}}),
			Buckets: []account.Bucket{{Name: bucket, Exists: account.Value(true), Policy: account.Value(policy),
				Tags: account.Value([]account.Tag{}), Versions: account.Value(6)}},
			Key: account.Key{AliasTarget: account.Value(keyID),
				Metadata: account.Value(account.KeyMetadata{ID: keyID, State: "Enabled", Manager: "CUSTOMER"}),
				Tags:     account.Value([]account.Tag{}), Aliases: account.Value([]string{"alias/myFirstKey"})},
		}
	}
	throttled := &account.ReadError{Kind: account.Throttled, Message: "AWS throttled this read; retry in a minute"}
	tests := []struct {
		name string
		edit func(s *account.Snapshot)
		want []string // "type name status"
	}{
		// The model reads no single-region trail homed in another region,
		// so it cannot prove that no other trail logs to the bucket.
		{"a complete lab", nil, []string{"trail myTrail planned", "bucket " + bucket + " failed", "alias alias/myFirstKey planned", "key " + keyID + " planned"}},
		{"the key's tags not read", func(s *account.Snapshot) { s.Key.Tags = account.Field[[]account.Tag]{} },
			[]string{"trail myTrail planned", "bucket " + bucket + " failed", "alias alias/myFirstKey failed", "key " + keyID + " failed"}},
		{"the trails throttled", func(s *account.Snapshot) { s.Trails = account.FailedWith[[]account.Trail](throttled) },
			[]string{"trail myTrail failed", "bucket " + bucket + " failed", "alias alias/myFirstKey planned", "key " + keyID + " planned"}},
		{"no alias", func(s *account.Snapshot) {
			s.Key = account.Key{AliasTarget: account.Absent[string](), Metadata: account.Absent[account.KeyMetadata]()}
		},
			[]string{"trail myTrail planned", "bucket " + bucket + " failed"}},
		{"another alias", func(s *account.Snapshot) { s.Key.Aliases = account.Value([]string{"alias/myFirstKey", "alias/shared"}) },
			[]string{"trail myTrail planned", "bucket " + bucket + " failed", "alias alias/myFirstKey planned", "key " + keyID + " kept"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := snapshot()
			if tt.edit != nil {
				tt.edit(s)
			}
			var got []string
			for _, step := range plan.Plan(FromSnapshot(s), GuideOptions().names(), time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)) {
				got = append(got, step.Type+" "+step.Name+" "+step.Status)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
