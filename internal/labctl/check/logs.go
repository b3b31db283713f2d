package check

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
)

// deliveryGrace is how long after an API call its record may still be on
// its way. AWS: "CloudTrail typically delivers logs within an average of
// about 5 minutes of an API call. This time is not guaranteed." (AWS
// CloudTrail User Guide, "How CloudTrail works"); event history shows
// events within about 15 minutes. Until then a missing record is unknown,
// not a student's mistake.
const deliveryGrace = 15 * time.Minute

// retryIn is when to look again for records still on their way.
const retryIn = 5 * time.Minute

// window is the time from which log records are read, and where that time
// came from, so that every message naming it says so.
type window struct {
	since time.Time // oldest record read
	shown time.Time // the time messages name
	from  string    // "the key's creation" or "--since"
}

func (w window) String() string {
	return w.from + ", " + w.shown.UTC().Format(time.RFC3339)
}

// readWindow is --since or, by default, the key's creation, as labctl
// check's help says, and messages name that time. The default reads
// records from a few minutes earlier: CloudTrail stamps a record with the
// time of the request, so the CreateKey record can precede the key's
// creation date, and no earlier record can name a key that did not exist,
// so the margin loses nothing.
func (g *Grader) readWindow(d discovery) window {
	if !g.Options.Since.IsZero() {
		return window{since: g.Options.Since, shown: g.Options.Since, from: "--since"}
	}
	return window{since: d.keyCreated.Add(-creationMargin), shown: d.keyCreated, from: "the key's creation"}
}

// creationMargin is how much earlier than the key's creation the default
// window starts.
const creationMargin = 5 * time.Minute

// keyHistory is what the log files and the event history showed of the
// key's policy: its CreateKey and PutKeyPolicy records, oldest first.
type keyHistory struct {
	records []events.Record
	sources []string // "log files", "event history": what could be read
}

// keyHistoryEvents are the calls that set a key policy.
var keyHistoryEvents = []string{"CreateKey", "PutKeyPolicy"}

// logChecks grades tasks 5 and 6 from the trail's log files and, for task
// 6, the account's CloudTrail event history where the caller may read it.
// It returns the key policy's history too, which task 1 is graded on.
func (g *Grader) logChecks(ctx context.Context, o *stackout.Outputs, d discovery, n names, t awsclient.Target) ([]taskItem, keyHistory) {
	if !d.key {
		return nil, keyHistory{} // tasks 5 and 6 already say the key is missing
	}
	now := g.now()
	w := g.readWindow(d)
	since := w.since
	key := &events.KeyRef{ID: o.KeyID, ARN: o.KeyARN, Aliases: []string{o.KeyAlias, o.AliasARN()}}
	var items []taskItem
	add := func(task int, name string, st Status, detail string, denied bool) {
		items = append(items, taskItem{task: task, Item: Item{Name: name, Status: st, Detail: detail, denied: denied}})
	}

	var (
		matches  []events.Match
		newest   time.Time // stamp of the newest log file read
		logsRead bool
	)
	if d.bucket {
		res, files, err := g.scanLogs(ctx, o, d, key, since, now)
		if err != nil {
			t.What = fmt.Sprintf("the trail's log files in s3://%s/%s", o.BucketName, d.logBase)
			detail := awsclient.Explain(err, t).Error()
			add(5, "logs.key-activity", Unknown, detail, true)
		} else {
			logsRead, matches = true, res.Matches
			for _, f := range files {
				if f.Stamp.After(newest) {
					newest = f.Stamp
				}
			}
			items = append(items, g.task5(o, d, w, res, newest, now)...)
		}
	} else if d.bucketUnread {
		add(5, "logs.key-activity", Unknown, "the trail bucket could not be looked up (see task 2); retry in a minute", false)
	} else {
		add(5, "logs.key-activity", Fail, "no trail bucket to read log files from (task 2 first)", false)
	}

	// Task 6: the key policy's history, from the log files and the event
	// history.
	var recs []events.Record
	for _, m := range matches {
		if slices.Contains(keyHistoryEvents, m.Record.EventName) {
			recs = append(recs, m.Record)
		}
	}
	history, histErr := g.lookupKeyHistory(ctx, key, since, now)
	sources := []string{}
	if logsRead {
		sources = append(sources, "log files")
	}
	if histErr == nil {
		sources = append(sources, "event history")
		recs = append(recs, history...)
	}
	recs = dedupe(recs)
	var puts []events.Record
	for _, r := range recs {
		if r.EventName == "PutKeyPolicy" {
			puts = append(puts, r)
		}
	}
	st, detail, hint := policyHistory(puts, o, n, now)
	if st == Fail && histErr != nil && newest.IsZero() && logsRead {
		st, hint = Unknown, ""
		detail = fmt.Sprintf("no log file delivered yet since %s, and no event history: retry after %s",
			w, now.Add(retryIn).UTC().Format("15:04 UTC"))
	}
	if st != Pass && len(sources) == 0 {
		st, hint = Unknown, ""
		detail = "neither the log files nor the event history could be read"
	}
	switch {
	case histErr == nil:
	case awsclient.Classify(histErr) == awsclient.KindAccessDenied:
		// Common in lab accounts, and the log files cover it: say so briefly.
		detail += "; event history not used: cloudtrail:LookupEvents denied"
	default:
		t.What = "the CloudTrail event history"
		detail += "; event history not used: " + awsclient.Explain(histErr, t).Error()
	}
	if len(sources) > 0 {
		detail += " (from the " + strings.Join(sources, " and ") + ")"
	}
	items = append(items, taskItem{task: 6, Item: Item{Name: "key-policy.history", Status: st, Detail: detail, Hint: hint,
		denied: st == Unknown && len(sources) == 0}})
	return items, keyHistory{records: recs, sources: sources}
}

// scanLogs reads the log files of the key's region from since to now.
func (g *Grader) scanLogs(ctx context.Context, o *stackout.Outputs, d discovery, key *events.KeyRef, since, now time.Time) (*events.Result, []events.LogFile, error) {
	s := &events.Scanner{S3: g.Clients.S3, Bucket: o.BucketName, Concurrency: 8}
	files, err := s.List(ctx, events.DayPrefixes(d.logBase, []string{o.Region}, since, now))
	if err != nil {
		return nil, nil, err
	}
	files = events.Select(files, since, now)
	q := events.Query{Key: key, Since: since, Until: now}
	if d.object {
		q.Object = &events.ObjectRef{Bucket: o.BucketName, Key: o.ObjectKey, ARN: o.ObjectARN()}
	}
	res, err := s.Scan(ctx, files, events.NewMatcher(q))
	return res, files, err
}

// task5 grades "find the key ID and the image's name in a log file".
func (g *Grader) task5(o *stackout.Outputs, d discovery, w window, res *events.Result, newest, now time.Time) []taskItem {
	var keyHits, objHits []events.Match
	for _, m := range res.Matches {
		if m.Key == o.KeyID {
			keyHits = append(keyHits, m)
		}
		if d.object && m.Object == o.ObjectKey {
			objHits = append(objHits, m)
		}
	}
	// Records of the upload can only be in files delivered after it.
	after := w
	if d.object && d.uploaded.After(w.shown) {
		after = window{since: d.uploaded, shown: d.uploaded, from: "the image's upload"}
	}
	missing := func(what string, hint string) Item {
		switch {
		case newest.IsZero() || newest.Before(after.shown.Truncate(time.Minute)):
			return Item{Status: Unknown, Detail: fmt.Sprintf("no log file delivered yet since %s; CloudTrail delivers about every 5 minutes: retry after %s",
				after, now.Add(retryIn).UTC().Format("15:04 UTC"))}
		case now.Sub(after.shown) < deliveryGrace:
			return Item{Status: Unknown, Detail: fmt.Sprintf("no record names %s yet in %d log files; records can take up to 15 minutes: retry after %s",
				what, res.Files, now.Add(retryIn).UTC().Format("15:04 UTC"))}
		default:
			return Item{Status: Fail, Hint: hint, Detail: fmt.Sprintf("no record names %s in the %d log files delivered up to %s",
				what, res.Files, newest.UTC().Format(time.RFC3339))}
		}
	}
	var items []taskItem
	if len(keyHits) > 0 {
		items = append(items, taskItem{5, Item{Name: "logs.key-activity", Status: Pass, Detail: describeHits(keyHits, "the key "+o.KeyID)}})
	} else {
		it := missing("the key "+o.KeyID, "make sure the trail logs management events (task 2), then open the image in the console (task 4, step 1)")
		it.Name = "logs.key-activity"
		items = append(items, taskItem{5, it})
	}
	if d.object {
		if len(objHits) > 0 {
			items = append(items, taskItem{5, Item{Name: "logs.image-activity", Status: Pass, Detail: describeHits(objHits, "the image "+o.ObjectKey)}})
		} else {
			it := missing("the image "+o.ObjectKey, "open the image in the console (task 4, step 1); S3 then asks KMS to decrypt it, naming the image")
			it.Name = "logs.image-activity"
			items = append(items, taskItem{5, it})
		}
	}
	for _, s := range res.Skipped {
		items = append(items, taskItem{5, Item{Name: "logs.unreadable-file", Status: Pass, Detail: "skipped s3://" + o.BucketName + "/" + s.Key + ": " + s.Reason}})
	}
	return items
}

func describeHits(ms []events.Match, what string) string {
	names := map[string]bool{}
	for _, m := range ms {
		names[m.Record.EventName] = true
	}
	return fmt.Sprintf("%d records name %s (%s), the first at %s", len(ms), what, strings.Join(slices.Sorted(maps.Keys(names)), ", "),
		ms[0].Record.EventTime.UTC().Format(time.RFC3339))
}

// lookupKeyHistory asks the event history for the key's CreateKey and
// PutKeyPolicy calls, one event name per request (LookupEvents takes one
// lookup attribute). Lab accounts often deny cloudtrail:LookupEvents; the
// caller then relies on the log files.
func (g *Grader) lookupKeyHistory(ctx context.Context, key *events.KeyRef, since, now time.Time) ([]events.Record, error) {
	var out []events.Record
	for _, name := range keyHistoryEvents {
		recs, err := g.lookupEvents(ctx, key, name, since, now)
		if err != nil {
			return nil, err // the caller explains it with the operation and the account
		}
		out = append(out, recs...)
	}
	return out, nil
}

func (g *Grader) lookupEvents(ctx context.Context, key *events.KeyRef, name string, since, now time.Time) ([]events.Record, error) {
	p := cloudtrail.NewLookupEventsPaginator(g.Clients.CloudTrail, &cloudtrail.LookupEventsInput{
		LookupAttributes: []cttypes.LookupAttribute{{AttributeKey: cttypes.LookupAttributeKeyEventName, AttributeValue: aws.String(name)}},
		StartTime:        aws.Time(since), EndTime: aws.Time(now),
	})
	m := events.NewMatcher(events.Query{Key: key, EventNames: []string{name}, Since: since, Until: now})
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

func dedupe(recs []events.Record) []events.Record {
	seen := map[string]bool{}
	var out []events.Record
	for _, r := range recs {
		if r.EventID != "" && seen[r.EventID] {
			continue
		}
		seen[r.EventID] = true
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].EventTime.Before(out[j].EventTime) })
	return out
}

// policyHistory grades task 6 from the key's PutKeyPolicy records: one
// that leaves the student out of the key users, and a later one that puts
// the student back.
func policyHistory(puts []events.Record, o *stackout.Outputs, n names, now time.Time) (st Status, detail, hint string) {
	var removed, restored time.Time
	for _, r := range puts {
		var params struct {
			Policy string `json:"policy"`
		}
		if err := json.Unmarshal(r.RequestParameters, &params); err != nil || params.Policy == "" {
			continue
		}
		_, user, err := verify.KeyRoles(params.Policy, o, n.student)
		if err != nil {
			continue
		}
		switch {
		case !user && removed.IsZero():
			removed = r.EventTime
		case user && !removed.IsZero() && restored.IsZero():
			restored = r.EventTime
		}
	}
	howTo := fmt.Sprintf("on %s's page, under Key users, remove %s, then add it back (task 6)", n.alias, n.student)
	switch {
	case !restored.IsZero():
		return Pass, fmt.Sprintf("%s removed as a key user at %s and added back at %s (%d PutKeyPolicy calls)",
			n.student, removed.UTC().Format(time.RFC3339), restored.UTC().Format(time.RFC3339), len(puts)), ""
	case !removed.IsZero() && now.Sub(removed) < deliveryGrace:
		return Unknown, fmt.Sprintf("%s removed as a key user at %s; the call that adds it back may not be delivered yet: retry after %s",
			n.student, removed.UTC().Format(time.RFC3339), now.Add(retryIn).UTC().Format("15:04 UTC")), ""
	case !removed.IsZero():
		return Fail, fmt.Sprintf("%s removed as a key user at %s and not added back", n.student, removed.UTC().Format(time.RFC3339)), howTo
	default:
		return Fail, fmt.Sprintf("no PutKeyPolicy call removed %s as a key user (%d PutKeyPolicy calls seen)", n.student, len(puts)), howTo
	}
}
