package handlab_test

import (
	"context"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

var suite = &mototest.Suite{Name: "handlab tests"}

func TestMain(m *testing.M) { os.Exit(suite.Run(m)) }

const region = "us-west-2"

// state is what a student would see of a lab in the consoles.
type state struct {
	alias       string   // the alias's target is the key
	keyUsers    bool     // the key policy has the "Allow use of the key" statement
	trailHome   string   // the trail's home region, as the lab's region sees it
	bucketIn    string   // the bucket's region
	insights    []string // the trail's Insights types
	objectSSE   string   // the image's server-side encryption
	blockPublic bool     // all four Block Public Access settings on
	ownership   string   // the bucket's Object Ownership
	publicRead  bool     // the image's ACL grants AllUsers READ
	logFiles    int      // objects under AWSLogs/
}

// observe reads l's account with the lab region's session.
func observe(t *testing.T, l *handlab.Lab) state {
	t.Helper()
	ctx := context.Background()
	c := l.Console
	var s state
	aliases, err := c.KMS.ListAliases(ctx, &kms.ListAliasesInput{KeyId: aws.String(l.KeyID)})
	require.NoError(t, err)
	for _, a := range aliases.Aliases {
		s.alias = aws.ToString(a.AliasName)
	}
	pol, err := c.KMS.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(l.KeyID), PolicyName: aws.String("default")})
	require.NoError(t, err)
	s.keyUsers = strings.Contains(aws.ToString(pol.Policy), `"Allow use of the key"`)
	trails, err := c.CloudTrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	require.NoError(t, err)
	require.Len(t, trails.TrailList, 1)
	s.trailHome = aws.ToString(trails.TrailList[0].HomeRegion)
	loc, err := c.S3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(l.Bucket)})
	require.NoError(t, err)
	s.bucketIn = string(loc.LocationConstraint)
	if s.bucketIn == "" {
		s.bucketIn = "us-east-1" // S3 API Reference, GetBucketLocation: null for us-east-1
	}
	home := c.In(s.trailHome)
	if ins, err := home.CloudTrail.GetInsightSelectors(ctx, &cloudtrail.GetInsightSelectorsInput{TrailName: aws.String(l.TrailName)}); err == nil {
		for _, i := range ins.InsightSelectors {
			s.insights = append(s.insights, string(i.InsightType))
		}
	}
	head, err := c.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(l.Bucket), Key: aws.String(l.ObjectKey)})
	require.NoError(t, err)
	s.objectSSE = string(head.ServerSideEncryption)
	if s.objectSSE == "aws:kms" {
		assert.Equal(t, l.KeyARN, aws.ToString(head.SSEKMSKeyId), "SSE-KMS with myFirstKey")
	}
	bpa, err := c.S3.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(l.Bucket)})
	require.NoError(t, err)
	b := bpa.PublicAccessBlockConfiguration
	s.blockPublic = aws.ToBool(b.BlockPublicAcls) && aws.ToBool(b.IgnorePublicAcls) && aws.ToBool(b.BlockPublicPolicy) && aws.ToBool(b.RestrictPublicBuckets)
	own, err := c.S3.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String(l.Bucket)})
	require.NoError(t, err)
	s.ownership = string(own.OwnershipControls.Rules[0].ObjectOwnership)
	acl, err := c.S3.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String(l.Bucket), Key: aws.String(l.ObjectKey)})
	require.NoError(t, err)
	for _, g := range acl.Grants {
		if g.Grantee != nil && aws.ToString(g.Grantee.URI) == "http://acs.amazonaws.com/groups/global/AllUsers" && g.Permission == s3types.PermissionRead {
			s.publicRead = true
		}
	}
	logs, err := c.S3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(l.Bucket), Prefix: aws.String("AWSLogs/")})
	require.NoError(t, err)
	s.logFiles = int(aws.ToInt32(logs.KeyCount))
	return s
}

// TestBuild: each option leaves the account as the lab guide's step, or
// its omission, does. The complete lab is the guide's: myFirstKey with the
// student as key user (task 1, step 9), myTrail homed where the console
// was with both Insights types (task 2, step 9), the image SSE-KMS with the
// key (task 3, steps 9 to 11), Block Public Access off, ACLs enabled and
// the image public (task 4, steps 9, 12 and 17). What S3 gives a new bucket
// (all four Block Public Access settings on, BucketOwnerEnforced) and an
// object left at the bucket's default encryption (AES256) are the Amazon S3
// User Guide's.
func TestBuild(t *testing.T) {
	both := []string{"ApiCallRateInsight", "ApiErrorRateInsight"}
	complete := state{alias: "alias/myFirstKey", keyUsers: true, trailHome: region, bucketIn: region, insights: both,
		objectSSE: "aws:kms", ownership: "BucketOwnerPreferred", publicRead: true}
	with := func(f func(*state)) state { s := complete; f(&s); return s }
	tests := []struct {
		name string
		opts handlab.Options
		want state
	}{
		{"complete", handlab.Options{}, complete},
		{"trail created in us-east-1", handlab.Options{TrailRegion: "us-east-1"},
			with(func(s *state) { s.trailHome, s.bucketIn = "us-east-1", "us-east-1" })},
		{"no Insights", handlab.Options{Break: handlab.Breakage{NoInsights: true}}, with(func(s *state) { s.insights = nil })},
		{"image SSE-S3", handlab.Options{Break: handlab.Breakage{ImageSSES3: true}}, with(func(s *state) { s.objectSSE = "AES256" })},
		{"not public", handlab.Options{Break: handlab.Breakage{NotPublic: true}},
			with(func(s *state) { s.blockPublic, s.ownership, s.publicRead = true, "BucketOwnerEnforced", false })},
		{"never restored", handlab.Options{Break: handlab.Breakage{NeverRestored: true}}, with(func(s *state) { s.keyUsers = false })},
		{"through task 3, with log files", handlab.Options{Through: 3, LogFiles: 2},
			with(func(s *state) {
				s.blockPublic, s.ownership, s.publicRead, s.logFiles = true, "BucketOwnerEnforced", false, 2
			})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			moto := suite.Need(t)
			s, err := mototest.AssumeRole(context.Background(), moto.URL, region, "arn:aws:iam::"+mototest.AccountFor(t, 4)+":role/student", "console")
			require.NoError(t, err)
			l := handlab.Build(t, handlab.ConsoleOf(s), tt.opts)
			assert.Equal(t, tt.want, observe(t, l))
		})
	}
}

// TestRecords: an SSE-KMS upload is recorded as S3's PutObject and the
// GenerateDataKey S3 calls for it, opening the image as GetObject and
// Decrypt (AWS KMS Developer Guide, "How Amazon S3 uses AWS KMS"); an
// SSE-S3 object involves no KMS call. Task 6 is two PutKeyPolicy calls,
// one when the student was never added back.
func TestRecords(t *testing.T) {
	tests := []struct {
		name   string
		broken handlab.Breakage
		want   []string
	}{
		{"complete", handlab.Breakage{}, []string{"GenerateDataKey", "PutObject", "GetObject", "Decrypt", "PutKeyPolicy", "PutKeyPolicy"}},
		{"image SSE-S3", handlab.Breakage{ImageSSES3: true}, []string{"PutObject", "GetObject", "PutKeyPolicy", "PutKeyPolicy"}},
		{"never restored", handlab.Breakage{NeverRestored: true}, []string{"GenerateDataKey", "PutObject", "GetObject", "Decrypt", "PutKeyPolicy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &handlab.Lab{Account: "111122223333", Region: region, Student: handlab.Student("111122223333"), KeyID: "k",
				Bucket: "b", ObjectKey: "Eiffel.jpg", Break: tt.broken}
			end := time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)
			var got []string
			last := time.Time{}
			for _, r := range l.Records(end, rand.New(rand.NewPCG(1, 2))) {
				got = append(got, r["eventName"].(string))
				at, err := time.Parse(time.RFC3339, r["eventTime"].(string))
				require.NoError(t, err)
				assert.False(t, at.Before(last), "oldest first")
				assert.False(t, at.After(end), "ending at end")
				last = at
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
