package clean

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/labctl/option"
)

// The rules come from AWS: KMS waits 7 to 30 days (ScheduleKeyDeletion,
// PendingWindowInDays); alias/aws/ is reserved for AWS managed keys
// (CreateAlias); and a short bucket prefix would match others' buckets.
func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Options)
		want option.Problems // every problem, in one error
	}{
		{"guide's names", func(*Options) {}, nil},
		{"30 days", func(o *Options) { o.KeyDeletionDays = 30 }, nil},
		{"too short a wait", func(o *Options) { o.KeyDeletionDays = 6 }, option.Problems{
			{Name: "key-deletion-days", Value: "6", Rule: "KMS waits 7 to 30 days before deleting a key"}}},
		{"too long a wait", func(o *Options) { o.KeyDeletionDays = 31 }, option.Problems{
			{Name: "key-deletion-days", Value: "31", Rule: "KMS waits 7 to 30 days before deleting a key"}}},
		{"every problem at once", func(o *Options) { o.Alias, o.BucketPrefix, o.Trail = "aws/x", "my", "" }, option.Problems{
			{Name: "alias", Value: `"aws/x"`, Rule: "give the alias name without alias/ (letters, digits, / _ -; not aws/, which AWS manages)"},
			{Name: "trail", Value: `""`, Rule: "a trail name of 3 to 128 letters, digits, . _ -, starting and ending with a letter or digit"},
			{Name: "bucket-prefix", Value: `"my"`, Rule: "the start of an S3 bucket name, at least 3 lowercase letters, digits, . or -"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := GuideOptions()
			tt.edit(&o)
			err := o.Validate()
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			var got option.Problems
			if assert.True(t, errors.As(err, &got), "option problems, which the command words as flags: %v", err) {
				assert.Equal(t, tt.want, got)
			}
			assert.NotContains(t, err.Error(), "--", "the domain names options, not flags")
		})
	}
}

// The exit codes of issue 15: 0 when nothing is left, 1 when something
// could not be removed (or a stack owns it), 2 when a read was denied.
func TestOutcome(t *testing.T) {
	tests := []struct {
		name    string
		actions []Action
		want    Outcome
	}{
		{"nothing found", nil, Clean},
		{"all done", []Action{{Status: statusDone}, {Status: statusDone}}, Clean},
		{"a key kept for another alias", []Action{{Status: statusDone}, {Status: statusKept}}, Clean},
		{"a stack owns it", []Action{{Status: statusKept, Stack: "s1"}}, Left},
		{"a removal failed", []Action{{Status: statusFailed}, {Status: statusDone}}, Left},
		{"a read denied", []Action{{Status: statusFailed}, {Status: statusFailed, Denied: true}}, Denied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, (&Report{Actions: tt.actions}).Outcome())
		})
	}
}
