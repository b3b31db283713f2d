package check

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
	"github.com/kms-lab/kms-lab/internal/labnames"
	"github.com/kms-lab/kms-lab/internal/report"
)

var guideNames = names{student: student, alias: labnames.GuideAlias, trail: labnames.GuideTrail, bucketPrefix: labnames.GuideBucketPrefix, description: labnames.GuideKeyDescription}

// The checks below are verify's, as verify reports them: the cause it
// decides from AWS's answer (S3's HeadObject ServerSideEncryption "AES256"
// for SSE-S3, an unsigned GET answered 200 or 403) is in Cause.
var (
	served = verify.Check{Name: "object.anonymous-get", Status: report.Fail, Cause: verify.CauseServedAnonymously,
		Observed: "HTTP 200: the object was served to an anonymous caller (70 bytes read)"}
	refused = verify.Check{Name: "object.anonymous-get", Status: report.Warn, Cause: verify.CauseRefusedByAccessControl,
		Observed: "refused by access control, not by SSE-KMS: HTTP 403 AccessDenied: Access Denied"}
	sseS3 = verify.Check{Name: "object.encryption", Status: report.Fail, Cause: verify.CauseSSES3,
		Expected: "aws:kms with arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", Observed: "AES256"}
	publicACL  = verify.Check{Name: "object.acl", Status: report.Pass, Observed: "public-read (AllUsers READ)"}
	privateACL = verify.Check{Name: "object.acl", Status: report.Fail, Observed: "private (no AllUsers grant)"}
	blocked    = verify.Check{Name: "bucket.public-access-block", Status: report.Fail, Observed: "BlockPublicAcls, IgnorePublicAcls"}
)

// TestHintNamesTheObservedCause: one hint per cause that was seen, and the
// cause's key. The expected words are the lab guide's: task 3 steps 9-11
// ("Server-side encryption with AWS Key Management Service keys (SSE-KMS)",
// "myFirstKey"), task 4 steps 8-18 (Block public access, Object Ownership
// "ACLs enabled", "Actions", "Make public using ACL").
func TestHintNamesTheObservedCause(t *testing.T) {
	tests := []struct {
		name      string
		check     verify.Check
		others    []verify.Check
		wantCause string
		want      []string
		notWant   []string
	}{
		{"SSE-S3 image already public and served: it lacks SSE-KMS, not an ACL",
			served, []verify.Check{sseS3, publicACL}, "object.encryption=sse-s3",
			[]string{"already public", "encrypted with SSE-S3, not SSE-KMS", "(SSE-KMS) and myFirstKey", "task 3"},
			[]string{"Actions > Make public using ACL"}},
		{"served without any encryption", served,
			[]verify.Check{{Name: "object.encryption", Status: report.Fail, Cause: verify.CauseNoSSE, Observed: "no server-side encryption"}},
			"object.encryption=none", []string{"is not encrypted;", "SSE-KMS"}, nil},
		{"served, and the encryption was not seen", served, nil,
			"object.anonymous-get=served", []string{"is not encrypted with SSE-KMS;"}, nil},
		{"private ACL: make it public", privateACL, nil,
			"object.acl", []string{"Actions > Make public using ACL"}, []string{"SSE-KMS"}},
		{"ACL grants more than read", verify.Check{Name: "object.acl", Status: report.Fail, Cause: verify.CauseACLBeyondRead, Observed: "AllUsers READ, WRITE"}, nil,
			"object.acl=beyond-read", []string{"Object Read only"}, []string{"Make public using ACL"}},
		{"refused by Block Public Access: that check's hint, not a second one", refused, []verify.Check{blocked, privateACL},
			"bucket.public-access-block", []string{"see bucket.public-access-block"}, []string{"Make public using ACL"}},
		{"refused with ACLs disabled", refused, []verify.Check{{Name: "bucket.ownership", Status: report.Fail, Observed: "BucketOwnerEnforced"}},
			"bucket.ownership", []string{"see bucket.ownership"}, nil},
		{"refused although bucket and ACL are right", refused, []verify.Check{publicACL},
			"object.anonymous-get=access-control", []string{"Block Public Access settings for this account"}, []string{"Make public using ACL"}},
		{"image with SSE-S3", sseS3, nil, "object.encryption=sse-s3", []string{"SSE-S3", "SSE-KMS and myFirstKey"}, nil},
		{"advanced event selectors", verify.Check{Name: "trail.event-selectors", Status: report.Warn, Cause: verify.CauseAdvancedSelectors,
			Observed: "advanced event selectors (Management events selector), not compared"}, nil,
			"trail.event-selectors=advanced", []string{"Switch to basic event selectors"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := grade(tt.check, guideNames, seenOf(append(tt.others, tt.check)))
			assert.Equal(t, Fail, it.Status)
			assert.Equal(t, tt.wantCause, it.Cause)
			for _, w := range tt.want {
				assert.Contains(t, it.Hint, w)
			}
			for _, w := range tt.notWant {
				assert.NotContains(t, it.Hint, w)
			}
			assert.NotContains(t, it.Detail, "Hint", "the hint is not glued to the detail")
		})
	}
}

// TestPublicSSES3Image grades a lab whose image was uploaded with SSE-S3
// and then made public: task 3's encryption check and task 4's anonymous
// GET (which S3 serves, SSE-S3 objects need no signature) are one mistake,
// with one key, and the lab guide's fix: task 3 steps 9-11, "Server-side
// encryption with AWS Key Management Service keys (SSE-KMS)" and the key
// myFirstKey.
func TestPublicSSES3Image(t *testing.T) {
	checks := []verify.Check{sseS3, publicACL, served}
	s := seenOf(checks)
	tests := []struct {
		name     string
		check    verify.Check
		wantHint string
	}{
		{"task 3: object.encryption", sseS3, "the object is encrypted with SSE-S3; re-upload it choosing SSE-KMS and myFirstKey"},
		{"task 4: object.anonymous-get", served, "the image is already public, and S3 served it because it is encrypted with SSE-S3, not SSE-KMS; " +
			"upload it again with Server-side encryption with AWS Key Management Service keys (SSE-KMS) and myFirstKey (task 3, steps 6-12), " +
			"then make the new upload public (task 4, steps 15-18)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := grade(tt.check, guideNames, s)
			assert.Equal(t, Fail, it.Status)
			assert.Equal(t, "object.encryption=sse-s3", it.Cause)
			assert.Equal(t, tt.wantHint, it.Hint)
		})
	}
}

func createKeyRecord(at time.Time, policy string) events.Record {
	params := map[string]any{"keySpec": "SYMMETRIC_DEFAULT", "keyUsage": "ENCRYPT_DECRYPT", "origin": "AWS_KMS"}
	if policy != "" {
		params["policy"] = policy
	}
	raw, _ := json.Marshal(params)
	return events.Record{EventName: "CreateKey", EventTime: at, EventID: "create", RequestParameters: raw}
}

// TestGradeKeyUserTask1 grades task 1's key-user check on the history
// (issue 17, "Task 6 mistake shown twice"): the student removed in task 6
// and never restored fails task 6 only, when a record shows task 1 was
// done; without history the detail says the current policy was used.
func TestGradeKeyUserTask1(t *testing.T) {
	created := time.Date(2026, 11, 26, 17, 0, 0, 0, time.UTC)
	o := &stackout.Outputs{AccountID: "111122223333", Partition: "aws"}
	notUser := verify.Check{Name: "key.policy.users", Status: report.Fail,
		Expected: student + " (kms:Decrypt, ...)", Observed: "none"}
	tests := []struct {
		name   string
		check  verify.Check
		h      keyHistory
		want   Status
		detail string
	}{
		{"CreateKey made the student a key user", notUser,
			keyHistory{records: []events.Record{createKeyRecord(created, policyWithUsers(student)), put(created.Add(time.Hour), policyWithUsers())}, sources: []string{"log files"}},
			Pass, student + " was made a key user by CreateKey at 2026-11-26T17:00:00Z (from the log files); it is not one now, which task 6 grades"},
		{"a PutKeyPolicy made the student a key user", notUser,
			keyHistory{records: []events.Record{createKeyRecord(created, ""), put(created.Add(time.Minute), policyWithUsers(student))}, sources: []string{"event history"}},
			Pass, "by PutKeyPolicy at 2026-11-26T17:01:00Z (from the event history)"},
		{"history read, no record of the key", notUser, keyHistory{sources: []string{"log files", "event history"}},
			Fail, "none (judged on the current key policy: no CreateKey or PutKeyPolicy record of the key in the log files or the event history); expected"},
		{"no history could be read", notUser, keyHistory{},
			Fail, "judged on the current key policy: neither the log files nor the event history could be read"},
		{"records, none with the student as a key user", notUser,
			keyHistory{records: []events.Record{createKeyRecord(created, policyWithUsers())}, sources: []string{"log files"}},
			Fail, "nor did any CreateKey or PutKeyPolicy record make it one"},
		{"a passing check stays as it is", verify.Check{Name: "key.policy.users", Status: report.Pass, Observed: student}, keyHistory{},
			Pass, student},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := gradeKeyUserTask1(tt.check, guideNames, seen{}, tt.h, o)
			assert.Equal(t, tt.want, it.Status, it.Detail)
			assert.Contains(t, it.Detail, tt.detail)
		})
	}
}
