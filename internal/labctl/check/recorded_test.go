package check

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/report"
)

// recorded loads a snapshot labctl snapshot took of a lab on moto
// (tests/labctl TestSnapshotGradedOffline records it).
func recorded(t *testing.T, name string) *account.Snapshot {
	t.Helper()
	s, err := account.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return s
}

func findCheck(r *Report, task int, name string) report.Check {
	for _, c := range r.Tasks[task-1].Checks {
		if c.Name == name {
			return c
		}
	}
	return report.Check{}
}

// TestRecordedSnapshots grades snapshots recorded from moto, as recorded
// and with one thing changed, by the lab guide's rules.
func TestRecordedSnapshots(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *account.Snapshot)
		want   map[int]Status
		// check is a task's check whose detail and hint must contain each
		// of contains and none of lacks.
		task            int
		check           string
		contains, lacks []string
	}{
		{
			// The student created myTrail multi-region while the console was
			// in us-east-1: its home region (AWS CloudTrail User Guide, "How
			// shadow trails work"). It covers us-west-2, so task 2 is done.
			// Nothing was delivered yet: CloudTrail delivers log files about
			// every 5 minutes ("How CloudTrail works"), so tasks 5 and 6 wait.
			name: "trail homed in another region", want: map[int]Status{1: Pass, 2: Pass, 3: Pass, 4: Pass, 5: Unknown, 6: Unknown},
			task: 2, check: "trail.exists", contains: []string{"arn:aws:cloudtrail:us-east-1:"},
		},
		{
			// Task 3, "Use bucket settings for default encryption": SSE-S3,
			// which S3 serves unsigned once public (task 4, step 23 expects the
			// SSE-KMS refusal).
			name: "image encrypted with SSE-S3 and served",
			change: func(s *account.Snapshot) {
				s.Image.Head.Value.Encryption, s.Image.Head.Value.KMSKeyID = "AES256", ""
				s.Image.Anonymous.Value = account.AnonymousAnswer{URL: s.Image.Anonymous.Value.URL, Status: 200, Bytes: 4}
			},
			want: map[int]Status{1: Pass, 2: Pass, 3: Fail, 4: Fail, 5: Unknown, 6: Unknown},
			task: 4, check: "object.anonymous-get",
			contains: []string{"encrypted with SSE-S3, not SSE-KMS", "the image judged: s3://mycloudtrailbucket"},
		},
		{
			// moto serves an SSE-KMS object to an anonymous GET; task 3 saw
			// SSE-KMS with the key, so task 4's hint may not say otherwise.
			name: "SSE-KMS image served anonymously",
			change: func(s *account.Snapshot) {
				s.Image.Anonymous.Value = account.AnonymousAnswer{URL: s.Image.Anonymous.Value.URL, Status: 200, Bytes: 4}
			},
			want: map[int]Status{1: Pass, 2: Pass, 3: Pass, 4: Fail, 5: Unknown, 6: Unknown},
			task: 4, check: "object.anonymous-get",
			contains: []string{"task 3 saw it encrypted with SSE-KMS", "Eiffel.jpg"},
			lacks:    []string{"because it is not encrypted with SSE-KMS", "is not encrypted"},
		},
		{
			// Task 2, Create trail: no trail of the guide's name at all.
			name: "no trail",
			change: func(s *account.Snapshot) {
				s.Trails.Value = []account.Trail{}
				s.BucketList = account.Value([]account.BucketRef{})
			},
			want: map[int]Status{1: Pass, 2: Fail, 3: Fail, 4: Fail, 5: Fail, 6: Unknown},
			task: 2, check: "trail.exists", contains: []string{"no trail named myTrail in us-west-2, nor a multi-region trail"},
		},
		{
			// Task 4, Block public access: all four switches on, as a new
			// bucket has them (Amazon S3 User Guide, "Blocking public access
			// to your Amazon S3 storage"); S3 then refuses with 403.
			name: "Block Public Access left on",
			change: func(s *account.Snapshot) {
				s.Buckets[0].PublicAccessBlock.Value = account.PublicAccessBlock{BlockPublicACLs: true, IgnorePublicACLs: true,
					BlockPublicPolicy: true, RestrictPublicBuckets: true}
				s.Image.Anonymous.Value = account.AnonymousAnswer{URL: s.Image.Anonymous.Value.URL, Status: 403, Code: "AccessDenied", Message: "Access Denied"}
			},
			want: map[int]Status{1: Pass, 2: Pass, 3: Pass, 4: Fail, 5: Unknown, 6: Unknown},
			task: 4, check: "bucket.public-access-block", contains: []string{"deselect Block all public access"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := recorded(t, "shadow-trail.json")
			if tt.change != nil {
				tt.change(s)
			}
			opts := Options{Student: s.Names.Student, Alias: strings.TrimPrefix(s.Names.Alias, "alias/"), Trail: s.Names.Trail, BucketPrefix: s.Names.BucketPrefix}
			r := Grade(s, opts, s.Taken.At)
			assert.Equal(t, tt.want, statuses(r), "%+v", r.Tasks)
			c := findCheck(r, tt.task, tt.check)
			text := c.Detail + " " + c.Hint
			for _, want := range tt.contains {
				assert.Contains(t, text, want)
			}
			for _, not := range tt.lacks {
				assert.NotContains(t, text, not)
			}
		})
	}
}
