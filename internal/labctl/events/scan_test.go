package events

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/cloudtrailtest"
)

// The scanner tests need volume, not record shapes (those are tested on
// documented records): the record builder seeds it.
var testLab = cloudtrailtest.Lab{AccountID: "111122223333", Region: "us-west-2", Partition: "aws",
	KeyID: "1234abcd-12ab-34cd-56ef-1234567890ab", Bucket: "mycloudtrailbucket20261126175000000000000001",
	ObjectKey: "lab-image.png", UserName: "AWSLabsUser-abc", SourceIP: "203.0.113.10"}

func labKey() *KeyRef {
	return &KeyRef{ID: testLab.KeyID, ARN: testLab.KeyARN(),
		Aliases: []string{"alias/myFirstKey", "arn:aws:kms:us-west-2:111122223333:alias/myFirstKey"}}
}

// memS3 is an in-memory bucket that records how many downloads run at once.
type memS3 struct {
	mu       sync.Mutex
	objects  map[string][]byte
	modified map[string]time.Time
	getErr   map[string]error
	inFlight atomic.Int32
	peak     atomic.Int32
	lists    atomic.Int32
	// overlap, when set, closes when two downloads are in flight at once;
	// each download waits for it, so a scanner that downloads concurrently
	// always shows it, whatever the scheduler does.
	overlap     chan struct{}
	overlapOnce sync.Once
}

func newMemS3() *memS3 {
	return &memS3{objects: map[string][]byte{}, modified: map[string]time.Time{}, getErr: map[string]error{}}
}

func (m *memS3) put(key string, data []byte, modified time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.objects[key], m.modified[key] = data, modified
}

func (m *memS3) ListObjectsV2(_ context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	m.lists.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	var keys []string
	for k := range m.objects {
		if strings.HasPrefix(k, aws.ToString(in.Prefix)) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := &s3.ListObjectsV2Output{}
	for _, k := range keys {
		out.Contents = append(out.Contents, s3types.Object{Key: aws.String(k), Size: aws.Int64(int64(len(m.objects[k]))), LastModified: aws.Time(m.modified[k])})
	}
	return out, nil
}

// trackedBody counts a download as in flight until the scanner closes it.
type trackedBody struct {
	io.Reader
	done func()
}

func (b *trackedBody) Close() error { b.done(); return nil }

func (m *memS3) GetObject(ctx context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	key := aws.ToString(in.Key)
	m.mu.Lock()
	data, ok := m.objects[key]
	err := m.getErr[key]
	m.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &smithy.GenericAPIError{Code: "NoSuchKey", Message: "The specified key does not exist."}
	}
	n := m.inFlight.Add(1)
	for {
		p := m.peak.Load()
		if n <= p || m.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if m.overlap == nil {
		return m.served(data), nil
	}
	if n >= 2 {
		m.overlapOnce.Do(func() { close(m.overlap) })
	}
	select {
	case <-m.overlap:
	case <-ctx.Done():
		m.inFlight.Add(-1)
		return nil, ctx.Err()
	case <-time.After(2 * time.Second):
		// A deadlock guard, not synchronisation: a serial scanner never
		// overlaps, and the peak assertion then reports it.
	}
	return m.served(data), nil
}

// served is the answer whose body ends the download when read to the end.
func (m *memS3) served(data []byte) *s3.GetObjectOutput {
	return &s3.GetObjectOutput{Body: &trackedBody{Reader: bytes.NewReader(data), done: func() { m.inFlight.Add(-1) }}}
}

func seedFiles(t *testing.T, m *memS3, n int) (files []LogFile, labIDs []string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range n {
		at := t0.Add(time.Duration(i) * time.Minute)
		recs := []cloudtrailtest.Record{testLab.Noise(rng, at, cloudtrailtest.EventID(rng)), testLab.Noise(rng, at, cloudtrailtest.EventID(rng))}
		if i%5 == 0 {
			id := cloudtrailtest.EventID(rng)
			recs = append(recs, testLab.Decrypt(at, id))
			labIDs = append(labIDs, id)
		}
		data, err := cloudtrailtest.Gzip(recs)
		require.NoError(t, err)
		key := cloudtrailtest.LogFileKey(testLab.AccountID, testLab.Region, at.Add(5*time.Minute), rng)
		m.put(key, data, at.Add(5*time.Minute))
		stamp, _ := parseStamp(key)
		files = append(files, LogFile{Key: key, Stamp: stamp})
	}
	return files, labIDs
}

func TestScanIsBoundedAndSorted(t *testing.T) {
	m := newMemS3()
	m.overlap = make(chan struct{})
	files, labIDs := seedFiles(t, m, 40)
	// Reverse, so sorting by time is the scanner's doing.
	for i, j := 0, len(files)-1; i < j; i, j = i+1, j-1 {
		files[i], files[j] = files[j], files[i]
	}
	s := &Scanner{S3: m, Bucket: testLab.Bucket, Concurrency: 4}
	res, err := s.Scan(context.Background(), files, NewMatcher(Query{Key: labKey(), Since: t0, Until: t0.Add(time.Hour)}))
	require.NoError(t, err)

	var ids []string
	for _, match := range res.Matches {
		ids = append(ids, match.Record.EventID)
	}
	assert.Equal(t, labIDs, ids)
	assert.Equal(t, 40, res.Files)
	assert.Equal(t, int64(40*2+len(labIDs)), res.Records)
	assert.LessOrEqual(t, m.peak.Load(), int32(4), "at most Concurrency downloads at once")
	assert.Greater(t, m.peak.Load(), int32(1), "downloads should overlap")
}

func TestScanSkipsBadFilesAndDropsTheirMatches(t *testing.T) {
	m := newMemS3()
	files, labIDs := seedFiles(t, m, 10)
	// Truncate the first file, which holds a lab record.
	m.objects[files[0].Key] = m.objects[files[0].Key][:30]
	gone := LogFile{Key: "AWSLogs/111122223333/CloudTrail/us-west-2/2026/11/26/111122223333_CloudTrail_us-west-2_20261126T1800Z_Gone0000Gone0000.json.gz", Stamp: t0}
	notes := LogFile{Key: "AWSLogs/111122223333/CloudTrail/us-west-2/2026/11/26/notes.txt"}
	s := &Scanner{S3: m, Bucket: testLab.Bucket, Concurrency: 3}

	res, err := s.Scan(context.Background(), append(files, gone, notes), NewMatcher(Query{Key: labKey(), Since: t0, Until: t0.Add(time.Hour)}))
	require.NoError(t, err)

	var ids []string
	for _, match := range res.Matches {
		ids = append(ids, match.Record.EventID)
	}
	assert.Equal(t, labIDs[1:], ids)
	require.Len(t, res.Skipped, 3)
	reasons := map[string]string{}
	for _, sk := range res.Skipped {
		reasons[sk.Key] = sk.Reason
	}
	assert.Equal(t, "truncated file: unexpected EOF", reasons[files[0].Key])
	assert.Equal(t, "deleted while the search ran", reasons[gone.Key])
	assert.Contains(t, reasons[notes.Key], "not a CloudTrail log file (name is not")
}

func TestScanStopsOnAccessDenied(t *testing.T) {
	m := newMemS3()
	files, _ := seedFiles(t, m, 20)
	denied := &smithy.GenericAPIError{Code: "AccessDenied", Message: "Access Denied"}
	m.getErr[files[3].Key] = denied
	s := &Scanner{S3: m, Bucket: testLab.Bucket, Concurrency: 2}

	_, err := s.Scan(context.Background(), files, NewMatcher(Query{Key: labKey(), Since: t0, Until: t0.Add(time.Hour)}))
	require.Error(t, err)
	assert.True(t, errors.Is(err, denied) || strings.Contains(err.Error(), "AccessDenied"), err.Error())
	assert.Contains(t, err.Error(), "downloading s3://"+testLab.Bucket+"/"+files[3].Key)
}

func TestWaitForDeliveryReturnsTheFirstNewerLogFile(t *testing.T) {
	m := newMemS3()
	uploaded := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	base := "AWSLogs/111122223333/CloudTrail/"
	rng := rand.New(rand.NewPCG(9, 9))
	older := cloudtrailtest.LogFileKey(testLab.AccountID, testLab.Region, uploaded.Add(-time.Minute), rng)
	m.put(older, []byte("x"), uploaded.Add(-time.Minute))
	s := &Scanner{S3: m, Bucket: testLab.Bucket}

	var polls atomic.Int32
	newer := cloudtrailtest.LogFileKey(testLab.AccountID, testLab.Region, uploaded.Add(time.Minute), rng)
	got, err := s.WaitForDelivery(context.Background(), WaitOptions{
		Base: base, Region: testLab.Region, After: uploaded, Interval: 5 * time.Millisecond, Timeout: 5 * time.Second,
		Progress: func(time.Duration) {
			// The file arrives while labctl is already polling.
			if polls.Add(1) == 3 {
				m.put(newer, []byte("x"), uploaded.Add(time.Minute))
			}
		},
	})
	require.NoError(t, err)
	assert.Equal(t, newer, got.Key)
	assert.GreaterOrEqual(t, polls.Load(), int32(3))
}

func TestWaitForDeliveryTimesOut(t *testing.T) {
	s := &Scanner{S3: newMemS3(), Bucket: testLab.Bucket}
	after := time.Date(2026, 11, 26, 17, 52, 3, 0, time.UTC)
	_, err := s.WaitForDelivery(context.Background(), WaitOptions{
		Base: "AWSLogs/111122223333/CloudTrail/", Region: "us-west-2", After: after,
		Interval: 5 * time.Millisecond, Timeout: 50 * time.Millisecond,
	})
	var timeout *ErrWaitTimeout
	require.ErrorAs(t, err, &timeout)
	assert.Equal(t, "no log file newer than the image's upload time (2026-11-26T17:52:03Z) arrived within 50ms: CloudTrail usually delivers within 5-15 minutes; check the trail is logging (`labctl verify`) or wait longer (--wait-timeout)", err.Error())
}
