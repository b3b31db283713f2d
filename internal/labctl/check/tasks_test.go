package check

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
	"github.com/kms-lab/kms-lab/internal/report"
)

var guideNames = names{student: student, alias: GuideAlias, trail: GuideTrail, bucketPrefix: GuideBucketPrefix, description: GuideDescription}

// TestHintNamesTheObservedCause: one hint per cause that was seen. The
// expected words are the lab guide's: task 3 steps 9-11 ("Server-side
// encryption with AWS Key Management Service keys (SSE-KMS)", "myFirstKey"),
// task 4 steps 8-18 (Block public access, Object Ownership "ACLs enabled",
// "Actions", "Make public using ACL").
func TestHintNamesTheObservedCause(t *testing.T) {
	served := verify.Check{Name: "object.anonymous-get", Status: report.Fail,
		Observed: "HTTP 200: the object was served to an anonymous caller (70 bytes read)"}
	refused := verify.Check{Name: "object.anonymous-get", Status: report.Warn,
		Observed: "refused by access control, not by SSE-KMS: HTTP 403 AccessDenied: Access Denied"}
	sseS3 := verify.Check{Name: "object.encryption", Status: report.Fail, Observed: "AES256"}
	publicACL := verify.Check{Name: "object.acl", Status: report.Pass, Observed: "public-read (AllUsers READ)"}
	privateACL := verify.Check{Name: "object.acl", Status: report.Fail, Observed: "private (no AllUsers grant)"}
	blocked := verify.Check{Name: "bucket.public-access-block", Status: report.Fail, Observed: "BlockPublicAcls, IgnorePublicAcls"}
	tests := []struct {
		name    string
		check   verify.Check
		others  []verify.Check
		want    []string
		notWant []string
	}{
		{"SSE-S3 image already public and served: it lacks SSE-KMS, not an ACL",
			served, []verify.Check{sseS3, publicACL},
			[]string{"already public", "encrypted with SSE-S3, not SSE-KMS", "(SSE-KMS) and myFirstKey", "task 3"},
			[]string{"Actions > Make public using ACL"}},
		{"served without any encryption", served,
			[]verify.Check{{Name: "object.encryption", Status: report.Fail, Observed: "no server-side encryption"}},
			[]string{"is not encrypted;", "SSE-KMS"}, nil},
		{"private ACL: make it public", privateACL, nil,
			[]string{"Actions > Make public using ACL"}, []string{"SSE-KMS"}},
		{"ACL grants more than read", verify.Check{Name: "object.acl", Status: report.Fail, Observed: "AllUsers READ, WRITE"}, nil,
			[]string{"Object Read only"}, []string{"Make public using ACL"}},
		{"refused by Block Public Access: that check's hint, not a second one", refused, []verify.Check{blocked, privateACL},
			[]string{"see bucket.public-access-block"}, []string{"Make public using ACL"}},
		{"refused with ACLs disabled", refused, []verify.Check{{Name: "bucket.ownership", Status: report.Fail, Observed: "BucketOwnerEnforced"}},
			[]string{"see bucket.ownership"}, nil},
		{"refused although bucket and ACL are right", refused, []verify.Check{publicACL},
			[]string{"Block Public Access settings for this account"}, []string{"Make public using ACL"}},
		{"image with SSE-S3", sseS3, nil, []string{"SSE-S3", "SSE-KMS and myFirstKey"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := grade(tt.check, guideNames, seenOf(append(tt.others, tt.check)))
			assert.Equal(t, Fail, it.Status)
			for _, w := range tt.want {
				assert.Contains(t, it.Detail, w)
			}
			for _, w := range tt.notWant {
				assert.NotContains(t, it.Detail, w)
			}
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
