package check

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteTextLowerCase(t *testing.T) {
	r := &Report{Tasks: []Task{
		{Task: 1, Title: Title(1), Status: Pass, Checks: []Item{{Name: "key.alias", Status: Pass}}},
		{Task: 2, Title: Title(2), Status: Unknown, Checks: []Item{{Name: "trail.event-selectors", Status: Unknown,
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

func TestOutcomeOfReadFailures(t *testing.T) {
	tests := []struct {
		name  string
		items []Item
		want  Status
	}{
		{"all pass", []Item{{Status: Pass}}, Pass},
		{"a fail", []Item{{Status: Unknown, denied: true}, {Status: Fail}}, Fail},
		{"a read that failed (denied, throttled) is unknown, exit 2", []Item{{Status: Pass}, {Status: Unknown, denied: true}}, Unknown},
		{"logs not delivered yet is fail, exit 1", []Item{{Status: Unknown}}, Fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Tasks: []Task{{Task: 1, Checks: tt.items}}}
			r.summarize()
			assert.Equal(t, tt.want, r.Outcome())
		})
	}
}
