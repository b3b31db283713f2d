package labctl_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/cloudtrailtest"
)

// seeded is what seedLogs delivered: the event IDs of the lab's activity
// and the keys of the files labctl must skip.
type seeded struct {
	generateDataKey, putObject, decrypt, getObject string // the lab's activity, in time order
	old                                            string // lab key activity three days ago
	otherRegionKeyARN, otherRegion                 string // another key's Decrypt in the us-east-1 folder
	truncated, notCloudTrail                       string // object keys of the bad files
	start                                          time.Time
}

// trail returns the cloudtrailtest view of l.
func (l *lab) trail() cloudtrailtest.Lab {
	return cloudtrailtest.Lab{AccountID: l.account, Region: region, Partition: partition, KeyID: l.keyID,
		Bucket: l.bucket, ObjectKey: l.objectKey, UserName: studentName, SourceIP: "198.51.100.7"}
}

// seedLogs delivers log files as CloudTrail would for the lab's last two
// hours: the upload (GenerateDataKey + PutObject), the console open
// (Decrypt + GetObject), everyday noise, one truncated file, one file that
// is not a CloudTrail log, an old file and another region's folder.
func seedLogs(t *testing.T, l *lab) seeded {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, uint64(len(l.bucket))))
	tl := l.trail()
	start := time.Now().UTC().Add(-2 * time.Hour).Truncate(time.Minute)
	s := seeded{start: start}
	id := func() string { return cloudtrailtest.EventID(rng) }
	noise := func(at time.Time, n int) []cloudtrailtest.Record {
		var out []cloudtrailtest.Record
		for i := range n {
			out = append(out, tl.Noise(rng, at.Add(time.Duration(i)*time.Second), id()))
		}
		return out
	}
	put := func(key string, body []byte) { putObject(t, l, key, body) }
	deliver := func(regionName string, at time.Time, records []cloudtrailtest.Record) string {
		key := cloudtrailtest.LogFileKey(l.account, regionName, at, rng)
		data, err := cloudtrailtest.Gzip(records)
		require.NoError(t, err)
		put(key, data)
		return key
	}

	s.generateDataKey, s.putObject = id(), id()
	deliver(region, start.Add(5*time.Minute), append(noise(start, 10),
		tl.GenerateDataKey(start.Add(time.Minute), s.generateDataKey),
		tl.PutObject(start.Add(time.Minute+time.Second), s.putObject)))

	// The same object name in another bucket must not match.
	elsewhere := tl.Elsewhere("0f0e0d0c-0000-4b3a-9c8d-000000000001", "someone-elses-bucket")
	s.decrypt, s.getObject = id(), id()
	deliver(region, start.Add(20*time.Minute), append(noise(start.Add(14*time.Minute), 10),
		tl.Decrypt(start.Add(15*time.Minute), s.decrypt),
		tl.GetObject(start.Add(15*time.Minute+time.Second), s.getObject),
		elsewhere.GetObject(start.Add(16*time.Minute), id()),
		elsewhere.Decrypt(start.Add(16*time.Minute), id())))

	deliver(region, start.Add(25*time.Minute), noise(start.Add(20*time.Minute), 30))

	// A file cut off in transfer: its lab record must not be reported.
	whole, err := cloudtrailtest.Gzip(append(noise(start.Add(26*time.Minute), 20), tl.Decrypt(start.Add(27*time.Minute), id())))
	require.NoError(t, err)
	s.truncated = cloudtrailtest.LogFileKey(l.account, region, start.Add(30*time.Minute), rng)
	put(s.truncated, whole[:len(whole)/2])

	// Valid gzipped JSON under a log file name, but not a CloudTrail log.
	var notCT bytes.Buffer
	zw := gzip.NewWriter(&notCT)
	_, _ = zw.Write([]byte(`{"logFiles":[],"note":"copied here by hand"}`))
	require.NoError(t, zw.Close())
	s.notCloudTrail = cloudtrailtest.LogFileKey(l.account, region, start.Add(35*time.Minute), rng)
	put(s.notCloudTrail, notCT.Bytes())

	s.old = id()
	threeDaysAgo := start.Add(-72 * time.Hour)
	deliver(region, threeDaysAgo.Add(5*time.Minute), append(noise(threeDaysAgo, 5), tl.GenerateDataKey(threeDaysAgo, s.old)))

	east := tl
	east.Region = "us-east-1"
	east.KeyID = "9d8c7b6a-0000-4e5f-8a9b-abcdefabcdef"
	s.otherRegionKeyARN, s.otherRegion = east.KeyARN(), id()
	deliver("us-east-1", start.Add(40*time.Minute), append(noise(start.Add(35*time.Minute), 5), east.Decrypt(start.Add(36*time.Minute), s.otherRegion)))
	return s
}

// putObject uploads a log file to the lab's bucket the way CloudTrail
// delivers one.
func putObject(t *testing.T, l *lab, key string, body []byte) {
	t.Helper()
	_, err := l.sdk.S3.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(l.bucket), Key: aws.String(key), Body: bytes.NewReader(body),
		ContentType: aws.String("application/json"), ACL: s3types.ObjectCannedACLBucketOwnerFullControl})
	require.NoError(t, err, "seeding %s", key)
}
