package clean

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The rules come from AWS: KMS waits 7 to 30 days (ScheduleKeyDeletion,
// PendingWindowInDays); alias/aws/ is reserved for AWS managed keys
// (CreateAlias); and a short bucket prefix would match others' buckets.
func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Options)
		want []string // every problem, in one error
	}{
		{"guide's names", func(*Options) {}, nil},
		{"30 days", func(o *Options) { o.KeyDeletionDays = 30 }, nil},
		{"too short a wait", func(o *Options) { o.KeyDeletionDays = 6 }, []string{"--key-deletion-days 6: KMS waits 7 to 30 days"}},
		{"too long a wait", func(o *Options) { o.KeyDeletionDays = 31 }, []string{"--key-deletion-days 31"}},
		{"every problem at once", func(o *Options) { o.Alias, o.BucketPrefix, o.Trail = "aws/x", "my", "" }, []string{
			`--alias "aws/x"`, `--bucket-prefix "my": the start of an S3 bucket name, at least 3`, `--trail ""`}},
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
			if assert.Error(t, err) {
				for _, w := range tt.want {
					assert.Contains(t, err.Error(), w)
				}
				assert.Equal(t, len(tt.want), strings.Count(err.Error(), "--"), "one problem per flag: %s", err)
			}
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
