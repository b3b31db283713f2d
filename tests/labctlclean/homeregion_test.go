package labctlclean_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// deletes records the delete calls a front passes on to moto, each with
// the region its signature names, in the order they arrive.
type deletes struct {
	mu    sync.Mutex
	calls []string
}

func (d *deletes) record(w http.ResponseWriter, r *http.Request) bool {
	var call string
	switch {
	case strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".DeleteTrail"):
		call = "DeleteTrail"
	case r.Method == http.MethodDelete && r.URL.RawQuery == "":
		// DELETE /bucket (path style) is DeleteBucket; an object's DELETE
		// has a key in its path.
		if strings.Count(strings.Trim(r.URL.Path, "/"), "/") == 0 {
			call = "DeleteBucket"
		}
	}
	if call != "" {
		d.mu.Lock()
		d.calls = append(d.calls, call+" "+awswire.ScopeOf(r).Region)
		d.mu.Unlock()
	}
	return false
}

// Issue 24: a student creates myTrail as a multi-region trail while the
// console is in us-east-1, with the lab in us-west-2. Its home region is
// us-east-1, and us-west-2 sees it as a shadow trail (DescribeTrails with
// shadow trails gives HomeRegion us-east-1). CloudTrail deletes a trail
// only in its home region ("This operation must be called from the Region
// in which the trail was created", CloudTrail API Reference,
// DeleteTrail). clean must find it, delete it there before the bucket it
// writes to, and a second run must find nothing.
func TestCleanTrailHomedInAnotherRegion(t *testing.T) {
	const labRegion, home = "us-west-2", "us-east-1"
	ctx := context.Background()
	moto := shared.Need(t)
	account := mototest.AccountFor(t, 5)
	west := accountSDK(t, moto.URL, account, labRegion)
	east := accountSDK(t, moto.URL, account, home)

	keyID, _ := west.CreateKey(t, "alias/myFirstKey", handlab.Student(account))
	// The console creates the new bucket in the region it is in.
	bucket := newBucketName("mycloudtrailbucket", account)
	east.CreateTrail(t, "myTrail", bucket, false)
	east.PutLogFiles(t, bucket, 3)
	shadow, err := west.CloudTrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	require.NoError(t, err)
	require.Len(t, shadow.TrailList, 1, "us-west-2 sees the trail")
	require.Equal(t, home, aws.ToString(shadow.TrailList[0].HomeRegion), "the emulator gives the shadow trail its home region")

	rec := &deletes{}
	front := mototest.NewFront(t, moto.URL, rec.record)
	conn := connector(account, front.URL)

	out, stderr, code := runClean(t, conn, moto.URL, "--region", labRegion, "--json")
	require.Equal(t, 0, code, "dry run: %s", stderr)
	got := map[string]action{}
	for _, a := range decodeActions(t, []byte(out)) {
		got[a.Type+" "+a.Name] = a
	}
	assert.Equal(t, "planned", got["trail myTrail"].Status, "the dry run lists the trail: %s", out)
	assert.Contains(t, got["trail myTrail"].Detail, "home region us-east-1, writes to s3://"+bucket)
	assert.Empty(t, rec.calls, "a dry run deletes nothing")

	out, stderr, code = runClean(t, conn, moto.URL, "--region", labRegion, "--json", "--yes")
	require.Equal(t, 0, code, "stderr: %s; report: %s", stderr, out)
	got = map[string]action{}
	for _, a := range decodeActions(t, []byte(out)) {
		got[a.Type+" "+a.Name] = a
	}
	assert.Equal(t, "done", got["trail myTrail"].Status, out)
	assert.Contains(t, got["trail myTrail"].Detail, "deleted in its home region us-east-1")
	assert.Equal(t, "done", got["bucket "+bucket].Status, out)
	assert.Equal(t, "done", got["key "+keyID].Status, out)
	// The trail first, in its home region; then the bucket it wrote to.
	require.Len(t, rec.calls, 2, "one DeleteTrail, one DeleteBucket: %v", rec.calls)
	assert.Equal(t, "DeleteTrail us-east-1", rec.calls[0])
	assert.True(t, strings.HasPrefix(rec.calls[1], "DeleteBucket "), "then the bucket: %v", rec.calls)

	for _, c := range []*handlab.Console{east, west} {
		inv := list(t, c)
		assert.Empty(t, inv.trails, "no trail is left, seen from either region")
		assert.NotContains(t, inv.buckets, bucket)
	}

	// A second run finds nothing of the lab, and says so.
	out, stderr, code = runClean(t, conn, moto.URL, "--region", labRegion)
	assert.Equal(t, 0, code, "second run: %s", stderr)
	assert.Contains(t, out, "nothing to clean in account "+account+", us-west-2")
}
