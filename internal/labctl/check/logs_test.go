package check

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

const student = "arn:aws:iam::111122223333:user/AWSLabsUser-abc"

// policyWithUsers is a default key policy (AWS KMS Developer Guide,
// "Default key policy") with the student as administrator and the given
// key users; without users the console drops both user statements.
func policyWithUsers(users ...string) string {
	st := []map[string]any{
		{"Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
		{"Effect": "Allow", "Principal": map[string]any{"AWS": student}, "Resource": "*", "Action": []string{
			"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
			"kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"}},
	}
	if len(users) > 0 {
		st = append(st, map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": users}, "Resource": "*",
			"Action": []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}})
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": st})
	return string(b)
}

func put(at time.Time, policy string) events.Record {
	params, _ := json.Marshal(map[string]any{"keyId": "k", "policyName": "default", "policy": policy})
	return events.Record{EventName: "PutKeyPolicy", EventTime: at, EventID: fmt.Sprint(at.Unix()), RequestParameters: params}
}

func TestPolicyHistory(t *testing.T) {
	now := time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
	o := &stackout.Outputs{AccountID: "111122223333", Partition: "aws"}
	n := names{student: student, alias: "myFirstKey"}
	other := "arn:aws:iam::111122223333:role/Other"
	tests := []struct {
		name   string
		puts   []events.Record
		want   Status
		detail string
	}{
		{"removed then added back", []events.Record{put(now.Add(-40*time.Minute), policyWithUsers()), put(now.Add(-39*time.Minute), policyWithUsers(student))},
			Pass, "added back at 2026-11-26T17:21:00Z"},
		{"added back among others", []events.Record{put(now.Add(-40*time.Minute), policyWithUsers(other)), put(now.Add(-39*time.Minute), policyWithUsers(other, student))},
			Pass, "removed as a key user at 2026-11-26T17:20:00Z"},
		{"removed long ago, never added back", []events.Record{put(now.Add(-40*time.Minute), policyWithUsers())},
			Fail, "not added back. Hint: on myFirstKey's page"},
		{"removed a minute ago: the restore may be on its way", []events.Record{put(now.Add(-time.Minute), policyWithUsers())},
			Unknown, "retry after 18:05 UTC"},
		{"only the original policy", []events.Record{put(now.Add(-50*time.Minute), policyWithUsers(student))},
			Fail, "no PutKeyPolicy call removed " + student + " as a key user (1 PutKeyPolicy calls seen)"},
		{"another user removed, not the student", []events.Record{put(now.Add(-40*time.Minute), policyWithUsers(student)), put(now.Add(-39*time.Minute), policyWithUsers(student, other))},
			Fail, "no PutKeyPolicy call removed"},
		{"nothing", nil, Fail, "(0 PutKeyPolicy calls seen)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, detail, hint := policyHistory(tt.puts, o, n, now)
			text := report.Check{Detail: detail, Hint: hint}.Text()
			assert.Equal(t, tt.want, st, text)
			assert.Contains(t, text, tt.detail)
		})
	}
}

func TestRoleOfSession(t *testing.T) {
	for in, want := range map[string]string{
		"arn:aws:sts::111122223333:assumed-role/AWSLabsUser-abc/s": "arn:aws:iam::111122223333:role/AWSLabsUser-abc",
		"arn:aws-cn:sts::111122223333:assumed-role/R/i-0abc":       "arn:aws-cn:iam::111122223333:role/R",
		"arn:aws:iam::111122223333:user/AWSLabsUser-abc":           "arn:aws:iam::111122223333:user/AWSLabsUser-abc",
		"arn:aws:sts::111122223333:federated-user/someone":         "arn:aws:sts::111122223333:federated-user/someone",
	} {
		assert.Equal(t, want, roleOfSession(in), in)
	}
}
