package handlab

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/cloudtrailtest"
)

// records names l's resources and student as cloudtrailtest's records do.
func (l *Lab) records(user, sourceIP string) cloudtrailtest.Lab {
	return cloudtrailtest.Lab{AccountID: l.Account, Region: l.Region, Partition: "aws", KeyID: l.KeyID,
		Bucket: l.Bucket, ObjectKey: l.ObjectKey, UserName: user, SourceIP: sourceIP}
}

// Key is l's key as cloudtrailtest.PutKeyPolicyRecord names it.
func (l *Lab) Key() cloudtrailtest.Key {
	return cloudtrailtest.Key{Account: l.Account, Region: l.Region, Student: l.Student, ID: l.KeyID, ARN: l.KeyARN}
}

// Records are what CloudTrail records of the student's lab, oldest first,
// ending at end: the upload (S3 PutObject, and KMS GenerateDataKey for an
// SSE-KMS one), opening the image (GetObject, and Decrypt for SSE-KMS), and
// task 6's PutKeyPolicy calls, as l.Break says the student did them.
func (l *Lab) Records(end time.Time, rng *rand.Rand) []cloudtrailtest.Record {
	ct := l.records(l.Student[strings.LastIndex(l.Student, "/")+1:], "198.51.100.7")
	at := func(ago time.Duration) time.Time { return end.Add(-ago) }
	id := func() string { return cloudtrailtest.EventID(rng) }
	var recs []cloudtrailtest.Record
	put := ct.PutObject(at(150*time.Second), id())
	if l.Break.ImageSSES3 {
		put["requestParameters"] = map[string]any{"bucketName": l.Bucket, "key": l.ObjectKey}
		put["responseElements"] = map[string]any{"x-amz-server-side-encryption": "AES256"}
	} else {
		recs = append(recs, ct.GenerateDataKey(at(151*time.Second), id()))
	}
	recs = append(recs, put, ct.GetObject(at(120*time.Second), id()))
	if !l.Break.ImageSSES3 {
		recs = append(recs, ct.Decrypt(at(119*time.Second), id()))
	}
	recs = append(recs, cloudtrailtest.PutKeyPolicyRecord(l.Key(), at(60*time.Second), id(), nil))
	if !l.Break.NeverRestored {
		recs = append(recs, cloudtrailtest.PutKeyPolicyRecord(l.Key(), at(30*time.Second), id(), []string{l.Student}))
	}
	return recs
}

// DeliverLog delivers records as CloudTrail does (task 5 reads them): one
// gzipped file under AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ in
// the trail's bucket, named for its delivery time, with 20 records of other
// people's activity around them.
func (l *Lab) DeliverLog(t testing.TB, records []cloudtrailtest.Record, delivered time.Time, rng *rand.Rand) {
	t.Helper()
	other := l.records("someone-else", "203.0.113.9")
	all := append([]cloudtrailtest.Record{}, records...)
	for range 20 {
		all = append(all, other.Noise(rng, delivered.Add(-3*time.Minute), cloudtrailtest.EventID(rng)))
	}
	body, err := cloudtrailtest.Gzip(all)
	require.NoError(t, err)
	_, err = l.Console.S3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(l.Bucket),
		Key: aws.String(cloudtrailtest.LogFileKey(l.Account, l.Region, delivered, rng)), Body: bytes.NewReader(body)})
	require.NoError(t, err, "delivering a log file to %s", l.Bucket)
}
