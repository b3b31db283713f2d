package labctlclean_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	cleancmd "github.com/kms-lab/kms-lab/internal/labctl/cmd/clean"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

const region = "us-east-1"

// runClean runs `labctl clean --endpoint-url URL --region R args...`
// in-process and returns stdout, stderr and the exit code.
func runClean(t testing.TB, conn cmdutil.AWSConnector, endpoint string, args ...string) (string, string, int) {
	t.Helper()
	f, out, errOut := factory(conn)
	cmd := cleancmd.NewCmdClean(f, nil)
	cmd.SetArgs(append([]string{"--endpoint-url", endpoint, "--region", region}, args...))
	cmd.SetOut(out)
	cmd.SetErr(errOut)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	code, _ := cmdutil.ExitCode(err)
	if err != nil {
		errOut.WriteString(err.Error())
	}
	return out.String(), errOut.String(), code
}

// denyDeleteTrail answers cloudtrail:DeleteTrail as AWS refuses it to a
// caller without the permission: HTTP 400, AccessDeniedException (AWS
// CloudTrail API Reference, Common Errors). moto allows every call.
func denyDeleteTrail(w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".DeleteTrail") {
		return false
	}
	awswire.WriteJSONAccessDenied(w, "User: arn:aws:sts::000000000000:assumed-role/kms-lab-instructor/labctl is not authorized to perform: cloudtrail:DeleteTrail")
	return true
}

func TestClean(t *testing.T) {
	type want struct {
		code     int
		dryCode  int      // the dry run's: 1 when it already knows something will be left
		trails   []string // trails left, by name
		buckets  []string // buckets left
		aliases  []string // aliases left
		keyState map[string]string
		actions  map[string]string // "type name" -> status in the report
		detail   map[string]string // "type name" -> text its detail contains
	}
	tests := []struct {
		name  string
		front bool // calls go through a front that denies cloudtrail:DeleteTrail
		// setup builds the account and says what must be left.
		setup func(t *testing.T, c *handlab.Console, account string) want
	}{
		{name: "complete lab", setup: func(t *testing.T, c *handlab.Console, account string) want {
			l := buildLab(t, c)
			return want{keyState: map[string]string{l.KeyID: "PendingDeletion"},
				actions: map[string]string{"trail myTrail": "done", "bucket " + l.Bucket: "done", "alias alias/myFirstKey": "done", "key " + l.KeyID: "done"}}
		}},
		{name: "retried task 2, versioned bucket with delete markers", setup: func(t *testing.T, c *handlab.Console, account string) want {
			ctx := context.Background()
			l := buildLab(t, c)
			// The first attempt's bucket, left when the student created the
			// trail again with a new one; versioned, with overwritten and
			// deleted objects (versions and delete markers).
			first := newBucketName("mycloudtrailbucket", account)
			c.CreateBucket(t, first)
			_, err := c.S3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(first),
				VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
			require.NoError(t, err)
			c.PutLogFiles(t, first, 3)
			c.PutLogFiles(t, first, 3) // second versions
			for _, k := range []string{"Eiffel.jpg", "notes.txt"} {
				_, err = c.S3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(first), Key: aws.String(k), Body: strings.NewReader(k)})
				require.NoError(t, err)
				_, err = c.S3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(first), Key: aws.String(k)})
				require.NoError(t, err)
			}
			return want{keyState: map[string]string{l.KeyID: "PendingDeletion"},
				actions: map[string]string{"bucket " + first: "done", "bucket " + l.Bucket: "done"},
				// 3 log files twice and 2 objects: 8 versions, 2 delete markers.
				detail: map[string]string{"bucket " + first: "with its 10 object versions and delete markers"}}
		}},
		{name: "neighbours survive", setup: func(t *testing.T, c *handlab.Console, account string) want {
			ctx := context.Background()
			l := buildLab(t, c)
			// An organisation-wide trail that writes to its own bucket.
			orgBucket := "aws-cloudtrail-logs-" + account + "-org"
			c.CreateTrail(t, "org-trail", orgBucket, false)
			// Another key with its own alias, and a second alias on the lab's key.
			other, _ := c.CreateKey(t, "alias/payments", handlab.Student(account))
			_, err := c.KMS.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/shared"), TargetKeyId: aws.String(l.KeyID)})
			require.NoError(t, err)
			// Buckets with other names, one close to the prefix.
			near, data := "mycloudtrail-notes-"+account, "app-data-"+account
			c.CreateBucket(t, near)
			c.CreateBucket(t, data)
			return want{trails: []string{"org-trail"}, buckets: sorted(orgBucket, near, data), aliases: []string{"alias/payments", "alias/shared"},
				keyState: map[string]string{l.KeyID: "Enabled", other: "Enabled"},
				actions:  map[string]string{"trail myTrail": "done", "bucket " + l.Bucket: "done", "alias alias/myFirstKey": "done", "key " + l.KeyID: "kept"},
				detail:   map[string]string{"key " + l.KeyID: "alias/shared also points to it"}}
		}},
		// Issue 20: a bucket with the lab's prefix that another trail of
		// the account logs to is not the lab's: it and its log files stay.
		{name: "a prefix bucket another trail logs to survives", setup: func(t *testing.T, c *handlab.Console, account string) want {
			l := buildLab(t, c)
			audit := newBucketName("mycloudtrailbucket", account)
			c.CreateTrail(t, "audit", audit, false)
			c.PutLogFiles(t, audit, 4)
			return want{trails: []string{"audit"}, buckets: []string{audit}, keyState: map[string]string{l.KeyID: "PendingDeletion"},
				actions: map[string]string{"trail myTrail": "done", "bucket " + l.Bucket: "done", "bucket " + audit: "kept"},
				detail:  map[string]string{"bucket " + audit: "trail arn:aws:cloudtrail:" + region + ":" + account + ":trail/audit logs to it, so it is not only the lab's"}}
		}},
		// An organization trail shows in every member account and only the
		// organization's management account may delete it (CloudTrail User
		// Guide, "Creating a trail for an organization"): carrying the
		// guide's name does not make it the lab's, and the prefix bucket it
		// logs to stays too. moto keeps the flag as given.
		{name: "an organization trail named myTrail is kept, with its bucket", setup: func(t *testing.T, c *handlab.Console, account string) want {
			ctx := context.Background()
			keyID, _ := c.CreateKey(t, "alias/myFirstKey", handlab.Student(account))
			orgBucket := newBucketName("mycloudtrailbucket", account)
			c.CreateBucket(t, orgBucket)
			c.PutLogFiles(t, orgBucket, 2)
			_, err := c.CloudTrail.CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("myTrail"), S3BucketName: aws.String(orgBucket),
				IsMultiRegionTrail: aws.Bool(true), IsOrganizationTrail: aws.Bool(true)})
			require.NoError(t, err, "CreateTrail")
			return want{trails: []string{"myTrail"}, buckets: []string{orgBucket}, keyState: map[string]string{keyID: "PendingDeletion"},
				actions: map[string]string{"trail myTrail": "kept", "bucket " + orgBucket: "kept", "key " + keyID: "done"},
				detail: map[string]string{"trail myTrail": "is an organization trail: it belongs to the organization's management account",
					"bucket " + orgBucket: "organization trail arn:aws:cloudtrail:" + region + ":" + account + ":trail/myTrail logs to it"}}
		}},
		{name: "stack-managed lab refused", setup: func(t *testing.T, c *handlab.Console, account string) want {
			ctx := context.Background()
			l := buildLab(t, c)
			tag := "kms101-acct01"
			_, err := c.KMS.TagResource(ctx, &kms.TagResourceInput{KeyId: aws.String(l.KeyID), Tags: []kmstypes.Tag{{TagKey: aws.String("kms-lab:stack"), TagValue: aws.String(tag)}}})
			require.NoError(t, err)
			_, err = c.S3.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(l.Bucket),
				Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("kms-lab:stack"), Value: aws.String(tag)}}}})
			require.NoError(t, err)
			_, err = c.CloudTrail.AddTags(ctx, &cloudtrail.AddTagsInput{ResourceId: aws.String(l.TrailARN), TagsList: []cttypes.Tag{{Key: aws.String("kms-lab:stack"), Value: aws.String(tag)}}})
			require.NoError(t, err)
			destroy := "pulumi destroy --stack kms101-acct01"
			return want{code: 1, dryCode: 1, trails: []string{"myTrail"}, buckets: []string{l.Bucket}, aliases: []string{"alias/myFirstKey"},
				keyState: map[string]string{l.KeyID: "Enabled"},
				actions:  map[string]string{"trail myTrail": "kept", "bucket " + l.Bucket: "kept", "alias alias/myFirstKey": "kept", "key " + l.KeyID: "kept"},
				detail:   map[string]string{"trail myTrail": destroy, "bucket " + l.Bucket: destroy, "key " + l.KeyID: destroy}}
		}},
		{name: "trail deletion denied", front: true, setup: func(t *testing.T, c *handlab.Console, account string) want {
			l := buildLab(t, c)
			return want{code: 1, trails: []string{"myTrail"}, keyState: map[string]string{l.KeyID: "PendingDeletion"},
				actions: map[string]string{"trail myTrail": "failed", "bucket " + l.Bucket: "done", "alias alias/myFirstKey": "done", "key " + l.KeyID: "done"},
				detail:  map[string]string{"trail myTrail": "access denied"}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			moto := shared.Need(t)
			account := mototest.AccountFor(t, 5)
			c := accountSDK(t, moto.URL, account, region)
			w := tt.setup(t, c, account)
			front := ""
			if tt.front {
				front = mototest.NewFront(t, moto.URL, denyDeleteTrail).URL
			}
			conn := connector(account, front)
			before := list(t, c)

			// The dry run removes nothing and plans what --yes then does.
			out, stderr, code := runClean(t, conn, moto.URL, "--json")
			require.Equal(t, w.dryCode, code, "dry run: %s", stderr)
			assert.Equal(t, before, list(t, c), "a dry run removes nothing")
			for _, a := range decodeActions(t, []byte(out)) {
				if a.Status != "kept" && a.Status != "failed" {
					assert.Equal(t, "planned", a.Status, "dry run: %s %s", a.Type, a.Name)
				}
			}

			out, stderr, code = runClean(t, conn, moto.URL, "--json", "--yes")
			assert.Equal(t, w.code, code, "exit code; stderr: %s; report: %s", stderr, out)
			got := map[string]action{}
			for _, a := range decodeActions(t, []byte(out)) {
				got[a.Type+" "+a.Name] = a
			}
			for k, status := range w.actions {
				assert.Equal(t, status, got[k].Status, "%s in the report: %+v", k, got[k])
			}
			for k, text := range w.detail {
				assert.Contains(t, got[k].Detail, text, "%s's detail", k)
			}

			// What is in the account now, by the SDK.
			after := list(t, c)
			assert.Equal(t, w.trails, after.trails, "trails left")
			assert.Equal(t, w.buckets, after.buckets, "buckets left")
			assert.Equal(t, w.aliases, keys(after.aliases), "aliases left")
			for id, state := range w.keyState {
				assert.Equal(t, state, after.keys[id], "key %s", id)
			}
			if w.code != 0 {
				return
			}
			// A second run finds nothing it may remove: exit 0.
			out, stderr, code = runClean(t, conn, moto.URL, "--json", "--yes")
			assert.Equal(t, 0, code, "second run: %s", stderr)
			for _, a := range decodeActions(t, []byte(out)) {
				assert.Equal(t, "kept", a.Status, "the second run finds nothing of the lab, only what it keeps: %+v", a)
			}
			assert.Equal(t, after, list(t, c), "the second run changes nothing")
		})
	}
}

func sorted(s ...string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return sorted(out...)
}
