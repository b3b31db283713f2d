package account

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/kms-lab/kms-lab/internal/labctl/events"
)

// CreationMargin is how much earlier than the key's creation the default
// log window starts: CloudTrail stamps a record with the time of the
// request, so the CreateKey record can precede the key's creation date,
// and no earlier record can name a key that did not exist, so the margin
// loses nothing.
const CreationMargin = 5 * time.Minute

// KeyHistoryEvents are the calls that set a key policy, which task 6 (and
// task 1's key users) are graded on.
var KeyHistoryEvents = []string{"CreateKey", "PutKeyPolicy"}

// Window is where the log window starts: --since when given, else the
// key's creation less CreationMargin; shown is the time messages name, and
// from where it came from.
func Window(since, keyCreated time.Time) (start, shown time.Time, from string) {
	if !since.IsZero() {
		return since, since, "--since"
	}
	return keyCreated.Add(-CreationMargin), keyCreated, "the key's creation"
}

// observeLogs reads the trail's log files of the region, and the event
// history's key policy calls, from since (or the key's creation) to now.
// Without the key there is nothing to look for.
func (o *Observer) observeLogs(ctx context.Context, s *Snapshot, since time.Time) {
	if !s.Key.Metadata.OK() {
		return
	}
	md := s.Key.Metadata.Value
	l := &s.Logs
	l.Until = o.now()
	l.Since, l.Shown, l.From = Window(since, md.Created)
	key := &events.KeyRef{ID: md.ID, ARN: md.ARN, Aliases: []string{s.Names.Alias, s.aliasARN()}}
	if bucket := s.LabBucket(); bucket != "" && !s.bucketMissing(bucket) {
		l.Base = s.LogBase()
		l.Files = o.scanLogs(ctx, s, bucket, key)
	}
	l.History = o.keyHistory(ctx, key, l.Since, l.Until)
}

func (s *Snapshot) aliasARN() string {
	return fmt.Sprintf("arn:%s:kms:%s:%s:%s", s.Taken.Partition, s.Taken.Region, s.Taken.Account, s.Names.Alias)
}

// bucketMissing: S3 answered that the bucket is not there.
func (s *Snapshot) bucketMissing(name string) bool {
	b := s.Bucket(name)
	return b != nil && b.Exists.Missing()
}

// scanLogs reads the log files of the snapshot's region in the window,
// through the events package's listing, selection and scan.
func (o *Observer) scanLogs(ctx context.Context, s *Snapshot, bucket string, key *events.KeyRef) Field[LogScan] {
	l := &s.Logs
	sc := &events.Scanner{S3: o.Clients.S3, Bucket: bucket, Concurrency: 8}
	what := fmt.Sprintf("the trail's log files in s3://%s/%s", bucket, l.Base)
	files, err := sc.List(ctx, events.DayPrefixes(l.Base, []string{s.Taken.Region}, l.Since, l.Until))
	if err != nil {
		return failField[LogScan](o, err, what)
	}
	files = events.Select(files, l.Since, l.Until)
	q := events.Query{Key: key, Since: l.Since, Until: l.Until}
	if s.Image.Key != "" {
		q.Object = &events.ObjectRef{Bucket: bucket, Key: s.Image.Key,
			ARN: fmt.Sprintf("arn:%s:s3:::%s/%s", s.Taken.Partition, bucket, s.Image.Key)}
	}
	res, err := sc.Scan(ctx, files, events.NewMatcher(q))
	if err != nil {
		return failField[LogScan](o, err, what)
	}
	scan := LogScan{Files: res.Files, Matches: res.Matches, Skipped: res.Skipped}
	if scan.Matches == nil {
		scan.Matches = []events.Match{}
	}
	for _, f := range files {
		if f.Stamp.After(scan.Newest) {
			scan.Newest = f.Stamp
		}
	}
	return Value(scan)
}

// keyHistory asks the event history for the key's CreateKey and
// PutKeyPolicy calls, one event name per request (LookupEvents takes one
// lookup attribute). Lab accounts often deny cloudtrail:LookupEvents; the
// judge then relies on the log files.
func (o *Observer) keyHistory(ctx context.Context, key *events.KeyRef, since, until time.Time) Field[[]events.Record] {
	out := []events.Record{}
	for _, name := range KeyHistoryEvents {
		recs, err := o.lookupEvents(ctx, key, name, since, until)
		if err != nil {
			return failField[[]events.Record](o, err, "the CloudTrail event history")
		}
		out = append(out, recs...)
	}
	return Value(out)
}

func (o *Observer) lookupEvents(ctx context.Context, key *events.KeyRef, name string, since, until time.Time) ([]events.Record, error) {
	p := cloudtrail.NewLookupEventsPaginator(o.Clients.CloudTrail, &cloudtrail.LookupEventsInput{
		LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String(name)}},
		StartTime:        aws.Time(since), EndTime: aws.Time(until),
	})
	m := events.NewMatcher(events.Query{Key: key, EventNames: []string{name}, Since: since, Until: until})
	var out []events.Record
	// LookupEvents answers 2 requests a second per account; a lab's key has
	// a handful of policy changes, so a few pages are plenty.
	for page := 0; page < 10 && p.HasMorePages(); page++ {
		resp, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, e := range resp.Events {
			var rec events.Record
			if err := json.Unmarshal([]byte(aws.ToString(e.CloudTrailEvent)), &rec); err != nil {
				continue // an event history entry without a record cannot be judged
			}
			if _, ok := m.Match(&rec); ok {
				out = append(out, rec)
			}
		}
	}
	return out, nil
}
