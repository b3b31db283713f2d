package verify

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

// deployedLab is the snapshot of the program's dev stack as deployed: the
// values its outputs promise, read back as verify's observer records them.
func deployedLab(o *stackout.Outputs) *account.Snapshot {
	var keyPolicy []stmt
	for _, sid := range []string{rootSid, adminSid, useSid, grantSid} {
		keyPolicy = append(keyPolicy, keyStatement(sid, nil))
	}
	p := o.PublicAccessBlock
	insights := slices.Clone(o.InsightTypes)
	if insights == nil {
		insights = []string{}
	}
	grants := []account.Grant{{Grantee: "owner", Type: "CanonicalUser", Permission: "FULL_CONTROL"}}
	if o.PublicObjectACL {
		grants = append(grants, account.Grant{Grantee: allUsers, Type: "Group", Permission: "READ"})
	}
	return &account.Snapshot{
		Version: account.Version,
		Taken:   account.Taken{Account: o.AccountID, Region: o.Region, Partition: o.Partition, Command: "verify"},
		Names:   Names(o),
		Key: account.Key{
			Metadata:    account.Value(account.KeyMetadata{ID: o.KeyID, ARN: o.KeyARN, State: "Enabled", Spec: "SYMMETRIC_DEFAULT", Usage: "ENCRYPT_DECRYPT"}),
			AliasTarget: account.Value(o.KeyID),
			Policy:      account.Value(policyDoc(keyPolicy...)),
			Rotation:    account.Value(o.KeyRotationEnabled),
		},
		Trails: account.Value([]account.Trail{{Name: o.TrailName, ARN: o.TrailARN, HomeRegion: o.Region, MultiRegion: true,
			GlobalServiceEvents: true, LogFileValidation: true, Bucket: o.BucketName,
			Logging:   account.Value(true),
			Selectors: account.Value(account.Selectors{}),
			Insights:  account.Value(insights)}}),
		Buckets: []account.Bucket{{Name: o.BucketName, Exists: account.Value(true),
			Policy: account.Value(policyDoc(bucketStatement("s3:GetBucketAcl"), bucketStatement("s3:PutObject"))),
			PublicAccessBlock: account.Value(account.PublicAccessBlock{BlockPublicACLs: p.BlockPublicACLs, IgnorePublicACLs: p.IgnorePublicACLs,
				BlockPublicPolicy: p.BlockPublicPolicy, RestrictPublicBuckets: p.RestrictPublicBuckets}),
			Ownership:  account.Value(o.ObjectOwnership),
			Encryption: account.Value(o.BucketEncryption)}},
		Image: account.Image{Bucket: o.BucketName, Key: o.ObjectKey,
			Head:      account.Value(account.ObjectHead{Encryption: "aws:kms", KMSKeyID: o.KeyARN}),
			ACL:       account.Value(grants),
			Anonymous: account.Value(account.AnonymousAnswer{Status: 400, Code: "InvalidArgument", Message: sigV4Message + "."})},
	}
}

// TestEachFailedReadIsUnknownInVerify fails one of verify's reads at a
// time, everything else read: the checks that need it are unknown, never
// fail, with the read's message (why, and when to retry), and every other
// check keeps the verdict it has with every read answered.
func TestEachFailedReadIsUnknownInVerify(t *testing.T) {
	o := labOutputs()
	baseline := byName(Judge(deployedLab(o), o, nil).Checks)
	e := &account.ReadError{Kind: account.Throttled, Message: "AWS throttled this read; retry in a minute"}
	tests := []struct {
		field   string
		break_  func(s *account.Snapshot)
		unknown []string
	}{
		// Without the key, nothing else of it is checked, but the alias is.
		{"key.metadata", func(s *account.Snapshot) { s.Key.Metadata = account.FailedWith[account.KeyMetadata](e) }, []string{"key.exists"}},
		{"key.alias", func(s *account.Snapshot) { s.Key.AliasTarget = account.FailedWith[string](e) }, []string{"key.alias"}},
		{"key.rotation", func(s *account.Snapshot) { s.Key.Rotation = account.FailedWith[bool](e) }, []string{"key.rotation"}},
		{"key.policy", func(s *account.Snapshot) { s.Key.Policy = account.FailedWith[string](e) }, []string{"key.policy"}},
		{"trails", func(s *account.Snapshot) { s.Trails = account.FailedWith[[]account.Trail](e) }, []string{"trail.exists"}},
		{"trail.logging", func(s *account.Snapshot) { s.Trails.Value[0].Logging = account.FailedWith[bool](e) }, []string{"trail.logging"}},
		{"trail.selectors", func(s *account.Snapshot) {
			s.Trails.Value[0].Selectors = account.FailedWith[account.Selectors](e)
		}, []string{"trail.event-selectors"}},
		{"trail.insights", func(s *account.Snapshot) { s.Trails.Value[0].Insights = account.FailedWith[[]string](e) }, []string{"trail.insight-selectors"}},
		{"bucket.exists", func(s *account.Snapshot) {
			s.Buckets[0] = account.Bucket{Name: o.BucketName, Exists: account.FailedWith[bool](e)}
		}, []string{"bucket.exists"}},
		{"bucket.ownership", func(s *account.Snapshot) { s.Buckets[0].Ownership = account.FailedWith[string](e) }, []string{"bucket.ownership"}},
		{"bucket.public-access-block", func(s *account.Snapshot) {
			s.Buckets[0].PublicAccessBlock = account.FailedWith[account.PublicAccessBlock](e)
		}, []string{"bucket.public-access-block"}},
		{"bucket.encryption", func(s *account.Snapshot) { s.Buckets[0].Encryption = account.FailedWith[string](e) }, []string{"bucket.encryption"}},
		{"bucket.policy", func(s *account.Snapshot) { s.Buckets[0].Policy = account.FailedWith[string](e) }, []string{"bucket.policy"}},
		{"image.head", func(s *account.Snapshot) { s.Image.Head = account.FailedWith[account.ObjectHead](e) }, []string{"object.encryption"}},
		{"image.acl", func(s *account.Snapshot) { s.Image.ACL = account.FailedWith[[]account.Grant](e) }, []string{"object.acl"}},
		{"image.anonymous", func(s *account.Snapshot) {
			s.Image.Anonymous = account.FailedWith[account.AnonymousAnswer](e)
		}, []string{"object.anonymous-get"}},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			s := deployedLab(o)
			tt.break_(s)
			got := Judge(s, o, nil).Checks
			for _, c := range got {
				if slices.Contains(tt.unknown, c.Name) {
					assert.Equal(t, report.Unknown, c.Status, "%s: %s", c.Name, c.Observed)
					assert.Equal(t, e.Message, c.Observed, c.Name)
					continue
				}
				assert.Equal(t, baseline[c.Name].Status, c.Status, "%s keeps its verdict: %s", c.Name, c.Observed)
			}
			names := byName(got)
			for _, u := range tt.unknown {
				assert.Contains(t, names, u)
			}
		})
	}
}
