package verify

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

// TestRecordedDeployedLab judges a snapshot labctl snapshot took of the dev
// stack applied to moto (tests/labctl TestVerifySnapshotGradedOffline
// records it with its outputs), as recorded and with one value changed.
func TestRecordedDeployedLab(t *testing.T) {
	out, err := stackout.Load("testdata/deployed.outputs.json", nil)
	require.NoError(t, err)
	tests := []struct {
		name   string
		change func(s *account.Snapshot)
		// fails are the checks that fail; every other one passes.
		fails map[string]string // name -> observed
	}{
		// The stack's own resources, as its outputs promise them.
		{name: "as deployed"},
		// keyRotationEnabled is an output; a key whose rotation was turned
		// off by hand differs (AWS KMS Developer Guide, "Rotating AWS KMS
		// keys").
		{name: "rotation turned off", change: func(s *account.Snapshot) { s.Key.Rotation.Value = false },
			fails: map[string]string{"key.rotation": "disabled"}},
		// A trail stopped by hand delivers nothing (CloudTrail, StopLogging).
		{name: "logging stopped", change: func(s *account.Snapshot) { s.Trails.Value[0].Logging.Value = false },
			fails: map[string]string{"trail.logging": "not logging"}},
		// S3 answers NoSuchBucketPolicy for a bucket without a policy: not
		// found is a value, and CloudTrail cannot deliver without one (AWS
		// CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail").
		{name: "bucket policy deleted", change: func(s *account.Snapshot) { s.Buckets[0].Policy = account.Absent[string]() },
			fails: map[string]string{"bucket.policy": "no bucket policy: CloudTrail cannot deliver logs"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := account.ReadFile("testdata/deployed.json")
			require.NoError(t, err)
			if tt.change != nil {
				tt.change(s)
			}
			for _, c := range Judge(s, out, nil).Checks {
				if want, ok := tt.fails[c.Name]; ok {
					assert.Equal(t, report.Fail, c.Status, c.Name)
					assert.Equal(t, want, c.Observed, c.Name)
					continue
				}
				assert.Equal(t, report.Pass, c.Status, "%s: %s (expected %s)", c.Name, c.Observed, c.Expected)
			}
		})
	}
}
