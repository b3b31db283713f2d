package check

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labnames"
	"github.com/kms-lab/kms-lab/internal/report"
	"github.com/kms-lab/kms-lab/internal/testenv/cloudtrailtest"
	"github.com/kms-lab/kms-lab/internal/testenv/console"
)

// The complete lab of these tests, in AWS's documentation account.
const (
	labAccount = "111122223333"
	labRegion  = "us-west-2"
	labStudent = "arn:aws:iam::111122223333:user/AWSLabsUser-abc"
	labKeyID   = "1234abcd-12ab-34cd-56ef-1234567890ab"
	labKeyARN  = "arn:aws:kms:us-west-2:111122223333:key/" + labKeyID
	labBucket  = "mycloudtrailbucket12345"
	labTrail   = "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail"
	labImage   = "Eiffel.jpg"
	allUsers   = "http://acs.amazonaws.com/groups/global/AllUsers"
	sigV4      = "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4."
)

var (
	created = time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)
	taken   = created.Add(2 * time.Hour)
)

// guideOptions are check's defaults, the lab guide's names.
func guideOptions() Options {
	return Options{Student: labStudent, Alias: labnames.GuideAlias, Trail: labnames.GuideTrail, BucketPrefix: labnames.GuideBucketPrefix}
}

// record is a CloudTrail record as the log files and the event history
// hold it.
func record(t *testing.T, m map[string]any) events.Record {
	t.Helper()
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	var r events.Record
	require.NoError(t, json.Unmarshal(raw, &r))
	return r
}

// completeLab is the snapshot of a lab whose six tasks are done as the
// guide says: the key with the console's default policy naming the student
// (task 1, steps 2-12); a multi-region trail logging S3 data events and
// both Insights types to a new mycloudtrailbucketNUMBER with CloudTrail's
// policy (task 2); the image uploaded with SSE-KMS and the key (task 3);
// Block Public Access off, ACLs enabled, the image public-read, and S3's
// answer to the anonymous GET of an SSE-KMS object, HTTP 400 "Requests
// specifying Server Side Encryption with AWS KMS managed keys require AWS
// Signature Version 4" (task 4, and Amazon S3 User Guide, "Using
// server-side encryption with AWS KMS keys"); log records naming the key
// and the image (task 5); the student removed as a key user and added back
// (task 6).
func completeLab(t *testing.T) *account.Snapshot {
	t.Helper()
	key := cloudtrailtest.Key{Account: labAccount, Region: labRegion, Student: labStudent, ID: labKeyID, ARN: labKeyARN}
	generate := events.Record{EventName: "GenerateDataKey", EventTime: created.Add(10 * time.Minute), EventID: "e1"}
	decrypt := events.Record{EventName: "Decrypt", EventTime: created.Add(20 * time.Minute), EventID: "e2"}
	removed := record(t, cloudtrailtest.PutKeyPolicyRecord(key, created.Add(30*time.Minute), "e3", nil))
	restored := record(t, cloudtrailtest.PutKeyPolicyRecord(key, created.Add(40*time.Minute), "e4", []string{labStudent}))
	return &account.Snapshot{
		Version: account.Version,
		Taken:   account.Taken{By: labStudent, Account: labAccount, Region: labRegion, Partition: "aws", At: taken, Command: "check"},
		Names:   account.Names{Alias: "alias/myFirstKey", Trail: "myTrail", BucketPrefix: "mycloudtrailbucket", Student: labStudent},
		Key: account.Key{
			Metadata: account.Value(account.KeyMetadata{ID: labKeyID, ARN: labKeyARN, Description: "KMS Key for S3 data",
				State: "Enabled", Manager: "CUSTOMER", Spec: "SYMMETRIC_DEFAULT", Usage: "ENCRYPT_DECRYPT", Created: created}),
			AliasTarget: account.Value(labKeyID),
			Policy:      account.Value(console.KeyPolicy(labAccount, labStudent, []string{labStudent})),
		},
		Trails: account.Value([]account.Trail{{
			Name: "myTrail", ARN: labTrail, HomeRegion: labRegion, MultiRegion: true, GlobalServiceEvents: true, LogFileValidation: true,
			Bucket:  labBucket,
			Logging: account.Value(true),
			Selectors: account.Value(account.Selectors{Basic: []account.EventSelector{{ReadWriteType: "All", IncludeManagementEvents: true,
				DataResources: []account.DataResource{{Type: "AWS::S3::Object", Values: []string{"arn:aws:s3"}}}}}}),
			Insights: account.Value([]string{"ApiCallRateInsight", "ApiErrorRateInsight"}),
		}}),
		Buckets: []account.Bucket{{
			Name: labBucket, Exists: account.Value(true),
			Policy:            account.Value(console.CloudTrailBucketPolicy(labBucket, labAccount, labTrail)),
			PublicAccessBlock: account.Value(account.PublicAccessBlock{}),
			Ownership:         account.Value("BucketOwnerPreferred"),
			Objects:           account.Value([]account.Object{{Key: labImage, LastModified: created.Add(10 * time.Minute), Size: 1024}}),
		}},
		Image: account.Image{
			Bucket: labBucket, Key: labImage,
			Head: account.Value(account.ObjectHead{Encryption: "aws:kms", KMSKeyID: labKeyARN, LastModified: created.Add(10 * time.Minute)}),
			ACL: account.Value([]account.Grant{{Grantee: "owner", Type: "CanonicalUser", Permission: "FULL_CONTROL"},
				{Grantee: allUsers, Type: "Group", Permission: "READ"}}),
			Anonymous: account.Value(account.AnonymousAnswer{Status: 400, Code: "InvalidArgument", Message: sigV4}),
		},
		Logs: account.Logs{
			Since: created.Add(-account.CreationMargin), Until: taken, Shown: created, From: "the key's creation",
			Base: "AWSLogs/111122223333/CloudTrail/",
			Files: account.Value(account.LogScan{Files: 12, Newest: taken.Add(-5 * time.Minute), Matches: []events.Match{
				{Record: generate, Key: labKeyID, Object: labImage}, {Record: decrypt, Key: labKeyID, Object: labImage}}}),
			History: account.Value([]events.Record{removed, restored}),
		},
	}
}

// statuses is each task's status, by task number.
func statuses(r *Report) map[int]Status {
	out := map[int]Status{}
	for _, t := range r.Tasks {
		out[t.Task] = t.Status
	}
	return out
}

func TestCompleteLabPasses(t *testing.T) {
	r := Grade(completeLab(t), guideOptions(), taken)
	for _, task := range r.Tasks {
		assert.Equal(t, Pass, task.Status, "task %d: %+v", task.Task, task.Checks)
		for _, c := range task.Checks {
			assert.NotEmpty(t, c.Detail, "task %d %s: a pass says what was seen", task.Task, c.Name)
		}
	}
	assert.Equal(t, Pass, r.Outcome())
}

// readFailure is the error a failed read leaves in the snapshot.
func readFailure(what string) *account.ReadError {
	return &account.ReadError{Kind: account.Throttled, At: taken,
		Message: "AWS throttled this read of " + what + " (ThrottlingException, after 4 attempts); retry in a minute"}
}

func failedField[T any](what string) account.Field[T] {
	return account.FailedWith[T](readFailure(what))
}

// TestEachFailedReadIsUnknown takes the complete lab and fails one read at
// a time, everything else read. A read that got no answer says nothing
// about the account (the brief's rule: "A failed read is never a verdict"),
// so the tasks that need it are unknown, never fail, and say why and when
// to retry, and every other task keeps its verdict (pass).
func TestEachFailedReadIsUnknown(t *testing.T) {
	tests := []struct {
		field  string
		break_ func(s *account.Snapshot)
		// unknown are the tasks that depend on the field.
		unknown []int
	}{
		// Task 1 finds the key through its alias; without it tasks 3, 5 and 6
		// have no key to judge.
		{"key.metadata", func(s *account.Snapshot) {
			s.Key.Metadata = failedField[account.KeyMetadata]("KMS alias alias/myFirstKey")
		}, []int{1, 3, 5, 6}},
		{"key.policy", func(s *account.Snapshot) { s.Key.Policy = failedField[string]("key policy") }, []int{1, 6}},
		// The trail names the bucket: without the trails, neither it nor
		// the image can be found.
		{"trails", func(s *account.Snapshot) { s.Trails = failedField[[]account.Trail]("the CloudTrail trails") }, []int{2, 3, 4, 5}},
		{"trail.logging", func(s *account.Snapshot) { s.Trails.Value[0].Logging = failedField[bool]("trail status") }, []int{2}},
		{"trail.selectors", func(s *account.Snapshot) {
			s.Trails.Value[0].Selectors = failedField[account.Selectors]("event selectors")
		}, []int{2}},
		{"trail.insights", func(s *account.Snapshot) { s.Trails.Value[0].Insights = failedField[[]string]("insight selectors") }, []int{2}},
		{"bucket.exists", func(s *account.Snapshot) {
			b := &s.Buckets[0]
			*b = account.Bucket{Name: b.Name, Exists: failedField[bool]("S3 bucket")}
		}, []int{2, 3, 4}},
		{"bucket.policy", func(s *account.Snapshot) { s.Buckets[0].Policy = failedField[string]("bucket policy") }, []int{2}},
		{"bucket.public-access-block", func(s *account.Snapshot) {
			s.Buckets[0].PublicAccessBlock = failedField[account.PublicAccessBlock]("public access block")
		}, []int{4}},
		{"bucket.ownership", func(s *account.Snapshot) { s.Buckets[0].Ownership = failedField[string]("ownership controls") }, []int{4}},
		// Without the listing there is no image for task 4 to make public.
		{"bucket.objects", func(s *account.Snapshot) { s.Buckets[0].Objects = failedField[[]account.Object]("the objects") }, []int{3, 4}},
		{"image.head", func(s *account.Snapshot) { s.Image.Head = failedField[account.ObjectHead]("object") }, []int{3}},
		{"image.acl", func(s *account.Snapshot) { s.Image.ACL = failedField[[]account.Grant]("ACL") }, []int{4}},
		{"image.anonymous", func(s *account.Snapshot) {
			s.Image.Anonymous = failedField[account.AnonymousAnswer]("the anonymous GET")
		}, []int{4}},
		{"logs.files", func(s *account.Snapshot) { s.Logs.Files = failedField[account.LogScan]("log files") }, []int{5}},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			s := completeLab(t)
			tt.break_(s)
			r := Grade(s, guideOptions(), taken)
			got := statuses(r)
			for task := 1; task <= 6; task++ {
				want := Pass
				for _, u := range tt.unknown {
					if u == task {
						want = Unknown
					}
				}
				assert.Equal(t, want, got[task], "task %d: %+v", task, r.Tasks[task-1].Checks)
			}
			for _, task := range r.Tasks {
				for _, c := range task.Checks {
					assert.NotEqual(t, Fail, c.Status, "task %d %s: %s", task.Task, c.Name, c.Detail)
					if c.Status == Unknown {
						assert.Empty(t, c.Hint, "an unknown check has no hint")
						assert.NotEmpty(t, c.Detail, "task %d %s: an unknown says why", task.Task, c.Name)
					}
				}
			}
			assert.NotEqual(t, Fail, r.Outcome())
		})
	}
}

// TestEventHistoryAloneIsNotNeeded: task 6 reads the key policy's history
// from the log files and, where allowed, the event history; with the
// history unread, the log files are enough when they hold the calls.
func TestEventHistoryAloneIsNotNeeded(t *testing.T) {
	s := completeLab(t)
	key := cloudtrailtest.Key{Account: labAccount, Region: labRegion, Student: labStudent, ID: labKeyID, ARN: labKeyARN}
	for i, users := range [][]string{nil, {labStudent}} {
		rec := record(t, cloudtrailtest.PutKeyPolicyRecord(key, created.Add(time.Duration(30+10*i)*time.Minute), fmt.Sprintf("h%d", i), users))
		s.Logs.Files.Value.Matches = append(s.Logs.Files.Value.Matches, events.Match{Record: rec, Key: labKeyID})
	}
	s.Logs.History = account.FailedWith[[]events.Record](&account.ReadError{Kind: account.Denied, Message: "access denied"})
	r := Grade(s, guideOptions(), taken)
	assert.Equal(t, Pass, statuses(r)[6], "%+v", r.Tasks[5].Checks)
	var history report.Check
	for _, c := range r.Tasks[5].Checks {
		if c.Name == "key-policy.history" {
			history = c
		}
	}
	assert.Contains(t, history.Detail, "event history not used: cloudtrail:LookupEvents denied")
}
