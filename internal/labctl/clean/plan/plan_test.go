package plan

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/stretchr/testify/assert"
)

// The lab guide's names: alias myFirstKey (task 1), trail myTrail and a
// bucket mycloudtrailbucketNUMBER (task 2).
const (
	account   = "111122223333"
	labRegion = "us-west-2"
	bucket    = "mycloudtrailbucket10619"
	keyID     = "1234abcd-12ab-34cd-56ef-1234567890ab"
	labARN    = "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail"
	// An organization trail shows in a member account with the
	// management account's ID in its ARN (CloudTrail User Guide,
	// "Creating a trail for an organization").
	orgARN = "arn:aws:cloudtrail:us-east-1:999988887777:trail/myTrail"
)

var (
	names = Names{Alias: "alias/myFirstKey", Trail: "myTrail", BucketPrefix: "mycloudtrailbucket", KeyDeletionDays: 7}
	now   = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
)

// cloudTrailPolicy is the bucket policy the CloudTrail console writes for
// a new bucket (CloudTrail User Guide, "Amazon S3 bucket policy for
// CloudTrail"): CloudTrail may check the ACL and write, for the trails in
// aws:SourceArn.
func cloudTrailPolicy(sourceArn ...string) string {
	var arn any = sourceArn[0]
	if len(sourceArn) > 1 {
		arn = sourceArn
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Sid": "AWSCloudTrailAclCheck20150319", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
			"Action": "s3:GetBucketAcl", "Resource": "arn:aws:s3:::" + bucket, "Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceArn": arn}}},
		map[string]any{"Sid": "AWSCloudTrailWrite20150319", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
			"Action": "s3:PutObject", "Resource": "arn:aws:s3:::" + bucket + "/AWSLogs/" + account + "/*",
			"Condition": map[string]any{"StringEquals": map[string]any{"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": arn}}},
	}})
	return string(b)
}

// completeLab is a lab done by hand as the guide builds it, and nothing
// else in the account.
func completeLab() Account {
	return Account{ID: account, Region: labRegion,
		Trails: []Trail{{Name: "myTrail", ARN: labARN, HomeRegion: labRegion, Bucket: bucket, Tags: map[string]string{},
			Events: &TrailEvents{Selectors: []cttypes.EventSelector{{IncludeManagementEvents: aws.Bool(true)}}}}},
		Buckets: []Bucket{{Name: bucket, Region: labRegion, Policy: cloudTrailPolicy(labARN), Contents: Contents{Versions: 6, Bytes: 2048}}},
		Alias:   &Alias{Name: "alias/myFirstKey", KeyID: keyID, KeyManager: "CUSTOMER", KeyState: "Enabled", Tags: map[string]string{}},
	}
}

// line is what a step comes to: "type name: action status".
type line struct{ typ, name, action, status string }

func lines(steps []Step) []line {
	var out []line
	for _, s := range steps {
		out = append(out, line{s.Type, s.Name, s.Action.Action, s.Status})
	}
	return out
}

var (
	trailPlanned  = line{"trail", "myTrail", "delete", "planned"}
	bucketPlanned = line{"bucket", bucket, "empty and delete", "planned"}
	aliasPlanned  = line{"alias", "alias/myFirstKey", "delete", "planned"}
	keyPlanned    = line{"key", keyID, "schedule deletion", "planned"}
	bucketKept    = line{"bucket", bucket, "keep", "kept"}
	bucketFailed  = line{"bucket", bucket, "none", "failed"}
)

var throttled = &ReadError{Why: "AWS throttled this read (ThrottlingException) after 3 attempts; retry in a minute"}
var denied = &ReadError{Why: "access denied: not authorized to perform cloudtrail:DescribeTrails", Denied: true}

// Each rule of issue 20 ("What belongs to the lab, decided from the whole
// account"), reached through the rule itself, next to the input that
// passes. detail maps a line's "type name" to text its detail holds.
func TestPlan(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(a *Account)
		want   []line
		detail map[string]string
		denied bool // a read that decides was refused: exit 2
	}{
		{name: "a complete lab: all of it is the lab's",
			want: []line{trailPlanned, bucketPlanned, aliasPlanned, keyPlanned},
			detail: map[string]string{"trail myTrail": "home region us-west-2, writes to s3://" + bucket,
				"bucket " + bucket: "6 object versions (2.0 KiB), 0 delete markers",
				// Seven days after the run (ScheduleKeyDeletion's shortest wait).
				"key " + keyID: "deletion would take effect on 2026-12-03 18:00 UTC, 7 days after"}},
		{name: "nothing there", edit: func(a *Account) { a.Trails, a.Buckets, a.Alias = nil, nil, nil }},

		// Trails: the lab's only if it carries the guide's name and is not
		// an organization trail.
		{name: "trail homed in another region is the lab's, deleted there",
			edit: func(a *Account) {
				a.Trails[0].HomeRegion, a.Trails[0].ARN = "us-east-1", "arn:aws:cloudtrail:us-east-1:111122223333:trail/myTrail"
				a.Buckets[0].Policy = cloudTrailPolicy(a.Trails[0].ARN)
			},
			want:   []line{trailPlanned, bucketPlanned, aliasPlanned, keyPlanned},
			detail: map[string]string{"trail myTrail": "home region us-east-1"}},
		{name: "organization trail with the guide's name: kept, and its bucket too",
			edit: func(a *Account) {
				a.Trails[0] = Trail{Name: "myTrail", ARN: orgARN, HomeRegion: "us-east-1", Bucket: bucket, Organization: true}
			},
			want: []line{{"trail", "myTrail", "keep", "kept"}, bucketKept, aliasPlanned, keyPlanned},
			detail: map[string]string{"trail myTrail": orgARN + " is an organization trail",
				"bucket " + bucket: "organization trail " + orgARN + " logs to it"}},
		{name: "trail a stack owns: kept, and the bucket it logs to",
			edit: func(a *Account) { a.Trails[0].Tags = map[string]string{StackTag: "kms101-acct01"} },
			want: []line{{"trail", "myTrail", "keep", "kept"}, bucketKept, aliasPlanned, keyPlanned},
			detail: map[string]string{"trail myTrail": "pulumi destroy --stack kms101-acct01",
				"bucket " + bucket: "which stack kms101-acct01 owns"}},
		{name: "trail's tags not read: failed, never removed, and its bucket too",
			edit: func(a *Account) { a.Trails[0].Tags, a.Trails[0].TagsErr = nil, throttled },
			want: []line{{"trail", "myTrail", "none", "failed"}, bucketFailed, aliasPlanned, keyPlanned},
			detail: map[string]string{"trail myTrail": "throttled this read (ThrottlingException) after 3 attempts; retry in a minute; nothing was removed from it: run clean again later",
				"bucket " + bucket: "trail " + labARN + " logs to it, and whether that trail is the lab's is not known: AWS throttled"}},
		{name: "trails denied: trail and buckets failed, an access error",
			edit:   func(a *Account) { a.Trails, a.TrailsErr = nil, denied },
			want:   []line{{"trail", "myTrail", "none", "failed"}, bucketFailed, aliasPlanned, keyPlanned},
			detail: map[string]string{"bucket " + bucket: "the account's trails could not be read, so whether another trail logs to it is not known"},
			denied: true},
		{name: "a trail with another name is never looked at",
			edit: func(a *Account) {
				a.Trails = append(a.Trails, Trail{Name: "audit", ARN: "arn:aws:cloudtrail:us-west-2:111122223333:trail/audit", Bucket: "audit-logs"})
			},
			want: []line{trailPlanned, bucketPlanned, aliasPlanned, keyPlanned}},

		// Buckets: the prefix, no stack tag, no other trail's logs, in
		// any region, and the policy names only the lab's trail.
		{name: "bucket a stack owns",
			edit:   func(a *Account) { a.Buckets[0].Tags = map[string]string{StackTag: "kms101-acct01"} },
			want:   []line{trailPlanned, bucketKept, aliasPlanned, keyPlanned},
			detail: map[string]string{"bucket " + bucket: "tagged kms-lab:stack=kms101-acct01"}},
		{name: "another trail of this region logs to a prefix bucket",
			edit: func(a *Account) {
				a.Trails = append(a.Trails, Trail{Name: "audit", ARN: "arn:aws:cloudtrail:us-west-2:111122223333:trail/audit", HomeRegion: labRegion, Bucket: bucket})
			},
			want:   []line{trailPlanned, bucketKept, aliasPlanned, keyPlanned},
			detail: map[string]string{"bucket " + bucket: "trail arn:aws:cloudtrail:us-west-2:111122223333:trail/audit logs to it, so it is not only the lab's"}},
		{name: "a single-region trail of another region logs to it",
			edit: func(a *Account) {
				a.Trails = append(a.Trails, Trail{Name: "eu-audit", ARN: "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-audit", HomeRegion: "eu-west-1", Bucket: bucket})
			},
			want:   []line{trailPlanned, bucketKept, aliasPlanned, keyPlanned},
			detail: map[string]string{"bucket " + bucket: "trail/eu-audit logs to it"}},
		{name: "an organization trail with another name logs to it",
			edit: func(a *Account) {
				a.Trails = append(a.Trails, Trail{Name: "org", ARN: "arn:aws:cloudtrail:us-east-1:999988887777:trail/org", Bucket: bucket, Organization: true})
			},
			want:   []line{trailPlanned, bucketKept, aliasPlanned, keyPlanned},
			detail: map[string]string{"bucket " + bucket: "organization trail arn:aws:cloudtrail:us-east-1:999988887777:trail/org logs to it"}},
		{name: "trails of other regions not read",
			edit:   func(a *Account) { a.ElsewhereErr = throttled },
			want:   []line{trailPlanned, bucketFailed, aliasPlanned, keyPlanned},
			detail: map[string]string{"bucket " + bucket: "the trails of other regions could not be read"}},
		{name: "its policy lets another trail write (aws:SourceArn)",
			edit: func(a *Account) {
				a.Buckets[0].Policy = cloudTrailPolicy(labARN, "arn:aws:cloudtrail:us-west-2:111122223333:trail/gone-trail")
			},
			want:   []line{trailPlanned, bucketKept, aliasPlanned, keyPlanned},
			detail: map[string]string{"bucket " + bucket: "its bucket policy lets arn:aws:cloudtrail:us-west-2:111122223333:trail/gone-trail write to it (aws:SourceArn)"}},
		{name: "its policy names myTrail of another account",
			edit:   func(a *Account) { a.Buckets[0].Policy = cloudTrailPolicy(orgARN) },
			want:   []line{trailPlanned, bucketKept, aliasPlanned, keyPlanned},
			detail: map[string]string{"bucket " + bucket: orgARN}},
		{name: "its policy names every trail with a wildcard",
			edit:   func(a *Account) { a.Buckets[0].Policy = cloudTrailPolicy("arn:aws:cloudtrail:*:111122223333:trail/*") },
			want:   []line{trailPlanned, bucketKept, aliasPlanned, keyPlanned},
			detail: map[string]string{"bucket " + bucket: "trail/* write to it"}},
		{name: "no policy, and the lab's trail gone: a retried task 2's first bucket",
			edit:   func(a *Account) { a.Trails, a.Buckets[0].Policy = nil, "" },
			want:   []line{bucketPlanned, aliasPlanned, keyPlanned},
			detail: map[string]string{}},
		{name: "policy not read",
			edit:   func(a *Account) { a.Buckets[0].PolicyErr = throttled },
			want:   []line{trailPlanned, bucketFailed, aliasPlanned, keyPlanned},
			detail: map[string]string{"bucket " + bucket: "run clean again later"}},
		{name: "tags not read",
			edit: func(a *Account) { a.Buckets[0].TagsErr = throttled },
			want: []line{trailPlanned, bucketFailed, aliasPlanned, keyPlanned}},
		{name: "versions not read",
			edit: func(a *Account) { a.Buckets[0].ContentsErr = throttled },
			want: []line{trailPlanned, bucketFailed, aliasPlanned, keyPlanned}},
		{name: "buckets not listed",
			edit:   func(a *Account) { a.Buckets, a.BucketsErr = nil, throttled },
			want:   []line{trailPlanned, {"bucket", "mycloudtrailbucket*", "none", "failed"}, aliasPlanned, keyPlanned},
			detail: map[string]string{"bucket mycloudtrailbucket*": "run clean again later"}},
		{name: "gone since the listing, or not the prefix (a filter an endpoint ignored)",
			edit: func(a *Account) {
				a.Buckets[0].Gone = true
				a.Buckets = append(a.Buckets, Bucket{Name: "app-data"})
			},
			want: []line{trailPlanned, aliasPlanned, keyPlanned}},

		// Key: customer managed, no stack tag, and only the lab's alias.
		{name: "another alias points to the key: the alias goes, the key stays",
			edit:   func(a *Account) { a.Alias.OtherAliases = []string{"alias/shared"} },
			want:   []line{trailPlanned, bucketPlanned, aliasPlanned, {"key", keyID, "keep", "kept"}},
			detail: map[string]string{"key " + keyID: "alias/shared also points to it"}},
		{name: "an AWS managed key",
			edit:   func(a *Account) { a.Alias.KeyManager = "AWS" },
			want:   []line{trailPlanned, bucketPlanned, aliasPlanned, {"key", keyID, "keep", "kept"}},
			detail: map[string]string{"key " + keyID: "an AWS managed key"}},
		{name: "a key a stack owns: alias and key kept",
			edit: func(a *Account) { a.Alias.Tags = map[string]string{StackTag: "kms101-acct01"} },
			want: []line{trailPlanned, bucketPlanned, {"alias", "alias/myFirstKey", "keep", "kept"}, {"key", keyID, "keep", "kept"}}},
		{name: "the key's tags not read",
			edit: func(a *Account) { a.Alias.TagsErr = throttled },
			want: []line{trailPlanned, bucketPlanned, {"alias", "alias/myFirstKey", "none", "failed"}, {"key", keyID, "none", "failed"}}},
		{name: "the key's aliases not read",
			edit: func(a *Account) { a.Alias.OtherAliasesErr = throttled },
			want: []line{trailPlanned, bucketPlanned, {"alias", "alias/myFirstKey", "none", "failed"}, {"key", keyID, "none", "failed"}}},
		{name: "the alias not read",
			edit: func(a *Account) { a.Alias, a.AliasErr = nil, throttled },
			want: []line{trailPlanned, bucketPlanned, {"alias", "alias/myFirstKey", "none", "failed"}}},
		{name: "a key already pending deletion",
			edit: func(a *Account) {
				d := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
				a.Alias.KeyState, a.Alias.DeletionDate = "PendingDeletion", &d
			},
			want:   []line{trailPlanned, bucketPlanned, aliasPlanned, {"key", keyID, "none", "done"}},
			detail: map[string]string{"key " + keyID: "already pending deletion, left as it is; deleted on 2026-12-01 09:30 UTC"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := completeLab()
			if tt.edit != nil {
				tt.edit(&a)
			}
			steps := Plan(a, names, now)
			assert.Equal(t, tt.want, lines(steps))
			got := map[string]Step{}
			gotDenied := false
			for _, s := range steps {
				got[s.Type+" "+s.Name] = s
				gotDenied = gotDenied || s.Denied
				if s.Status == StatusPlanned {
					assert.NotEmpty(t, s.Op.Kind, "a planned step has something to do: %s %s", s.Type, s.Name)
				} else {
					assert.Empty(t, s.Op.Kind, "only a planned step is acted on: %s %s", s.Type, s.Name)
				}
			}
			for k, text := range tt.detail {
				assert.Contains(t, got[k].Detail, text, k)
			}
			assert.Equal(t, tt.denied, gotDenied, "a refused read")
		})
	}
}

// --yes acts on the plan: the trail in its home region (CloudTrail API
// Reference, DeleteTrail: "must be called from the Region in which the
// trail was created"), the bucket in its own, the key with the window
// given.
func TestPlanOps(t *testing.T) {
	a := completeLab()
	a.Trails[0].HomeRegion = "us-east-1"
	a.Trails[0].ARN = "arn:aws:cloudtrail:us-east-1:111122223333:trail/myTrail"
	a.Buckets[0].Policy, a.Buckets[0].Region = cloudTrailPolicy(a.Trails[0].ARN), "us-east-1"
	a.Buckets[0].Contents = Contents{Versions: 4, Markers: 2}
	var ops []Op
	for _, s := range Plan(a, names, now) {
		ops = append(ops, s.Op)
	}
	assert.Equal(t, []Op{
		{Kind: OpDeleteTrail, Name: "myTrail", Region: "us-east-1"},
		{Kind: OpEmptyAndDeleteBucket, Name: bucket, Region: "us-east-1", Expected: 6},
		{Kind: OpDeleteAlias, Name: "alias/myFirstKey", Key: keyID},
		{Kind: OpScheduleKeyDeletion, Name: keyID, Days: 7},
	}, ops)
}

// KMS waits 7 to 30 days (AWS KMS API Reference, ScheduleKeyDeletion,
// PendingWindowInDays); the plan dates the deletion that many days after
// the run. 6 and 31 never reach the plan: Options.Validate refuses them
// (TestValidate and the command's flag tests).
func TestPlanKeyDeletionWindow(t *testing.T) {
	for _, tt := range []struct {
		days int
		date string
	}{{7, "2026-12-03 18:00 UTC"}, {30, "2026-12-26 18:00 UTC"}} {
		n := names
		n.KeyDeletionDays = tt.days
		steps := Plan(completeLab(), n, now)
		k := steps[len(steps)-1]
		assert.Equal(t, tt.days, k.Op.Days)
		assert.True(t, strings.HasPrefix(k.Detail, "deletion would take effect on "+tt.date), k.Detail)
	}
}
