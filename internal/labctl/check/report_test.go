package check

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/report"
)

func TestWriteTextLowerCase(t *testing.T) {
	r := &Report{Tasks: []Task{
		{Task: 1, Title: Title(1), Status: Pass, Checks: []report.Check{{Name: "key.alias", Status: Pass}}},
		{Task: 2, Title: Title(2), Status: Unknown, Checks: []report.Check{{Name: "trail.event-selectors", Status: Unknown,
			Detail: "AWS throttled this read of event selectors of CloudTrail trail myTrail (cloudtrail:GetEventSelectors: ThrottlingException: Rate exceeded, after 10 attempts); retry in a minute"}}},
	}}
	var b bytes.Buffer
	require.NoError(t, WriteText(&b, r))
	// Titles are the lab guide's (Introduction to AWS KMS, tasks 1 and 2).
	assert.Equal(t, ""+
		"pass    task 1  Create your KMS master key\n"+
		"unknown task 2  Configure CloudTrail to store logs in a new S3 bucket\n"+
		"          unknown trail.event-selectors: AWS throttled this read of event selectors of CloudTrail trail myTrail (cloudtrail:GetEventSelectors: ThrottlingException: Rate exceeded, after 10 attempts); retry in a minute\n"+
		"2 tasks: 1 pass, 0 fail, 1 unknown\n", b.String())
}

// TestOutcomeOfReadFailures: a failed read (denied, throttled) is unknown,
// exit 2; an unknown that only time settles (logs not delivered yet) is
// fail, exit 1; any failure is fail.
func TestOutcomeOfReadFailures(t *testing.T) {
	var (
		pass    = taskItem{task: 1, Check: report.Check{Status: Pass}}
		fail    = taskItem{task: 1, Check: report.Check{Status: Fail}}
		unread  = taskItem{task: 1, Check: report.Check{Status: Unknown}, unread: true}
		pending = taskItem{task: 5, Check: report.Check{Status: Unknown}}
	)
	tests := []struct {
		name  string
		items []taskItem
		want  Status
	}{
		{"all pass", []taskItem{pass}, Pass},
		{"a fail", []taskItem{unread, fail}, Fail},
		{"a failure among a pass and an unread", []taskItem{pass, fail, unread}, Fail},
		{"a read that failed (denied, throttled) is unknown, exit 2", []taskItem{pass, unread}, Unknown},
		{"logs not delivered yet is fail, exit 1", []taskItem{pending}, Fail},
		{"an unread and logs not delivered yet", []taskItem{pending, unread}, Unknown},
		{"a pass marked unread stays a pass", []taskItem{{task: 1, Check: report.Check{Status: Pass}, unread: true}}, Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReport()
			for _, it := range tt.items {
				r.add(it)
			}
			r.summarize()
			assert.Equal(t, tt.want, r.Outcome())
		})
	}
}
