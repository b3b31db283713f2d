package preflight_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stackTag is the tag the program puts on every taggable resource
// (internal/labstack/program.go): kms-lab:stack=<stack>.
const stackTag = "kms-lab:stack"

// tagged makes the alias, the trail or the exact bucket name the stack
// uses, tagged kms-lab:stack=owner ("" for no tag), as a deploy of stack
// owner (or a hand) leaves it. An alias has no tags of its own; its key
// carries the program's tag.
func (la *labAccount) tagged(resource, owner string) {
	ctx := la.ctx()
	switch resource {
	case "alias":
		in := &kms.CreateKeyInput{}
		if owner != "" {
			in.Tags = []kmstypes.Tag{{TagKey: aws.String(stackTag), TagValue: aws.String(owner)}}
		}
		key, err := kms.NewFromConfig(la.cfg).CreateKey(ctx, in)
		require.NoError(la.t, err)
		_, err = kms.NewFromConfig(la.cfg).CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/myFirstKey"), TargetKeyId: key.KeyMetadata.KeyId})
		require.NoError(la.t, err)
	case "trail":
		la.bucket("mytrail-logs")
		in := &cloudtrail.CreateTrailInput{Name: aws.String("myTrail"), S3BucketName: aws.String("mytrail-logs")}
		if owner != "" {
			in.TagsList = []cttypes.Tag{{Key: aws.String(stackTag), Value: aws.String(owner)}}
		}
		_, err := cloudtrail.NewFromConfig(la.cfg).CreateTrail(ctx, in)
		require.NoError(la.t, err)
	case "bucket":
		la.bucket(exactBucket)
		if owner != "" {
			_, err := s3.NewFromConfig(la.cfg, func(o *s3.Options) { o.UsePathStyle = true }).PutBucketTagging(ctx, &s3.PutBucketTaggingInput{
				Bucket: aws.String(exactBucket), Tagging: &types.Tagging{TagSet: []types.Tag{{Key: aws.String(stackTag), Value: aws.String(owner)}}}})
			require.NoError(la.t, err)
		}
	default:
		la.t.Fatalf("no resource %q", resource)
	}
}

// exactBucket is the bucketName the bucket cases set.
const exactBucket = "kms-lab-pf-logs"

// Issue 23: a stack's second deploy found its own alias, trail and bucket
// "made outside this stack" and stopped. The name checks now decide from
// the kms-lab:stack tag; each expectation is what `pulumi up` does next:
//   - tagged pf (this stack, an earlier deploy): it updates them in place,
//     so pass, "owned by this stack";
//   - tagged pf-other: it cannot create a second alias, trail or bucket of
//     that name (AlreadyExistsException, TrailAlreadyExistsException,
//     BucketAlreadyOwnedByYou), nor take another stack's, so fail naming
//     that stack, with the rename;
//   - no tag: made by hand, so fail as before, with the `pulumi import`.
//
// The expected import commands are those of TestPreflightNameClashes.
func TestPreflightNameOwnership(t *testing.T) {
	checkOf := map[string]string{"alias": "alias-name", "trail": "trail-name", "bucket": "bucket-name"}
	tests := []struct {
		resource, owner string
		status          string
		details         []string
	}{
		{"alias", stack, "pass", []string{"alias/myFirstKey already exists in us-west-2", "tagged kms-lab:stack=pf: owned by this stack"}},
		{"alias", "pf-other", "fail", []string{"owned by stack pf-other (tagged kms-lab:stack=pf-other)", "AlreadyExistsException",
			"pulumi config set kms-lab:keyAlias myFirstKey-pf --stack pf"}},
		{"alias", "", "fail", []string{"made outside this stack", "`pulumi import --stack pf 'aws:kms/alias:Alias' lab-key 'alias/myFirstKey'"}},
		{"trail", stack, "pass", []string{"trail myTrail already exists in us-west-2", "tagged kms-lab:stack=pf: owned by this stack"}},
		{"trail", "pf-other", "fail", []string{"owned by stack pf-other", "TrailAlreadyExistsException", "pulumi config set kms-lab:trailName myTrail-pf --stack pf"}},
		{"trail", "", "fail", []string{"made outside this stack", "`pulumi import --stack pf 'aws:cloudtrail/trail:Trail' audit-trail '"}},
		{"bucket", stack, "pass", []string{"bucket kms-lab-pf-logs already exists in account " + account, "tagged kms-lab:stack=pf: owned by this stack"}},
		{"bucket", "pf-other", "fail", []string{"owned by stack pf-other", "BucketAlreadyOwnedByYou", "pulumi config set kms-lab:bucketName kms-lab-pf-logs-" + account}},
		{"bucket", "", "fail", []string{"made outside this stack", "`pulumi import --stack pf 'aws:s3/bucketV2:BucketV2' trail-bucket 'kms-lab-pf-logs'"}},
	}
	for _, tt := range tests {
		owner := tt.owner
		if owner == "" {
			owner = "untagged"
		}
		t.Run(tt.resource+", "+owner, func(t *testing.T) {
			la := newLabAccount(t)
			la.tagged(tt.resource, tt.owner)
			res := la.run("  kms-lab:bucketName: " + exactBucket + "\n")
			assertCheck(t, res, checkOf[tt.resource], tt.status, tt.details...)
			want := 0
			if tt.status == "fail" {
				want = 1
			}
			assert.Equal(t, want, res.code, res.checks)
		})
	}
}

// The trail quota on a second deploy: the region holds CloudTrail's five
// trails ("Trails per Region: 5 ... This quota cannot be increased", AWS
// CloudTrail User Guide, "Quotas in AWS CloudTrail"), one of them myTrail.
// pulumi up creates no trail when myTrail is this stack's (it updates it),
// so the quota is no obstacle; when it is another stack's, renaming is the
// only fix and creates a sixth trail, which CloudTrail refuses.
func TestPreflightTrailQuotaOwnTrail(t *testing.T) {
	tests := []struct {
		owner, status, detail string
		code                  int
	}{
		{stack, "pass", "5 of 5 trails in us-west-2, one of them myTrail", 0},
		{"pf-other", "fail", "5 of 5 trails already in us-west-2", 1},
	}
	for _, tt := range tests {
		t.Run(tt.owner, func(t *testing.T) {
			la := newLabAccount(t)
			for _, name := range []string{"t-a", "t-b", "t-c", "t-d"} {
				la.trail(name, false)
			}
			la.tagged("trail", tt.owner)
			res := la.run("")
			assertCheck(t, res, "trail-quota", tt.status, tt.detail)
			assert.Equal(t, tt.code, res.code, res.checks)
		})
	}
}
