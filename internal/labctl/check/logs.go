package check

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
	"github.com/kms-lab/kms-lab/internal/report"
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

// readWindow is the window the observer read: --since or, by default,
// the key's creation (less account.CreationMargin), as labctl check's help
// says; messages name that time.
func readWindow(l account.Logs) window {
	return window{since: l.Since, shown: l.Shown, from: l.From}
}

// keyHistory is what the log files and the event history showed of the
// key's policy: its CreateKey and PutKeyPolicy records, oldest first.
type keyHistory struct {
	records []events.Record
	sources []string // "log files", "event history": what could be read
}

// logChecks grades tasks 5 and 6 from the trail's log files and, for task
// 6, the account's CloudTrail event history where the caller may read it.
// It returns the key policy's history too, which task 1 is graded on.
func logChecks(s *account.Snapshot, o *stackout.Outputs, d discovery, n names, now time.Time) ([]taskItem, keyHistory) {
	if !d.key {
		return nil, keyHistory{} // tasks 5 and 6 already say the key is missing
	}
	w := readWindow(s.Logs)
	var items []taskItem
	add := func(task int, name string, st Status, detail string, unread bool) {
		items = append(items, taskItem{task: task, Check: report.Check{Name: name, Status: st, Detail: detail}, unread: unread})
	}

	var (
		matches  []events.Match
		newest   time.Time // stamp of the newest log file read
		logsRead bool
	)
	files := s.Logs.Files
	switch {
	case d.bucket && files.OK():
		logsRead, matches, newest = true, files.Value.Matches, files.Value.Newest
		items = append(items, task5(o, d, w, files.Value, now)...)
	case d.bucket && files.State == account.NotRead:
		add(5, "logs.key-activity", Unknown, "the trail bucket could not be read (see task 2); retry in a minute", false)
	case d.bucket:
		detail := "not read"
		if files.Error != nil {
			detail = files.Error.Message
		}
		add(5, "logs.key-activity", Unknown, detail, true)
	case d.bucketUnread:
		add(5, "logs.key-activity", Unknown, "the trail bucket could not be looked up (see task 2); retry in a minute", false)
	default:
		add(5, "logs.key-activity", Fail, "no trail bucket to read log files from (task 2 first)", false)
	}

	// Task 6: the key policy's history, from the log files and the event
	// history.
	var recs []events.Record
	for _, m := range matches {
		if slices.Contains(account.KeyHistoryEvents, m.Record.EventName) {
			recs = append(recs, m.Record)
		}
	}
	hist := s.Logs.History
	sources := []string{}
	if logsRead {
		sources = append(sources, "log files")
	}
	if hist.OK() {
		sources = append(sources, "event history")
		recs = append(recs, hist.Value...)
	}
	recs = dedupe(recs)
	var puts []events.Record
	for _, r := range recs {
		if r.EventName == "PutKeyPolicy" {
			puts = append(puts, r)
		}
	}
	st, detail, hint := policyHistory(puts, o, n, now)
	if st == Fail && !hist.OK() && newest.IsZero() && logsRead {
		st, hint = Unknown, ""
		detail = fmt.Sprintf("no log file delivered yet since %s, and no event history: retry after %s",
			w, now.Add(retryIn).UTC().Format("15:04 UTC"))
	}
	if st != Pass && len(sources) == 0 {
		st, hint = Unknown, ""
		detail = "neither the log files nor the event history could be read"
	}
	switch {
	case hist.OK():
	case hist.Error != nil && hist.Error.Kind == account.Denied:
		// Common in lab accounts, and the log files cover it: say so briefly.
		detail += "; event history not used: cloudtrail:LookupEvents denied"
	case hist.Error != nil:
		detail += "; event history not used: " + hist.Error.Message
	default:
		detail += "; event history not read"
	}
	if len(sources) > 0 {
		detail += " (from the " + strings.Join(sources, " and ") + ")"
	}
	items = append(items, taskItem{task: 6, Check: report.Check{Name: "key-policy.history", Status: st, Detail: detail, Hint: hint},
		unread: st == Unknown && len(sources) == 0})
	return items, keyHistory{records: recs, sources: sources}
}

// task5 grades "find the key ID and the image's name in a log file".
func task5(o *stackout.Outputs, d discovery, w window, res account.LogScan, now time.Time) []taskItem {
	newest := res.Newest
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
	missing := func(what string, hint string) report.Check {
		switch {
		case newest.IsZero() || newest.Before(after.shown.Truncate(time.Minute)):
			return report.Check{Status: Unknown, Detail: fmt.Sprintf("no log file delivered yet since %s; CloudTrail delivers about every 5 minutes: retry after %s",
				after, now.Add(retryIn).UTC().Format("15:04 UTC"))}
		case now.Sub(after.shown) < deliveryGrace:
			return report.Check{Status: Unknown, Detail: fmt.Sprintf("no record names %s yet in %d log files; records can take up to 15 minutes: retry after %s",
				what, res.Files, now.Add(retryIn).UTC().Format("15:04 UTC"))}
		default:
			return report.Check{Status: Fail, Hint: hint, Detail: fmt.Sprintf("no record names %s in the %d log files delivered up to %s",
				what, res.Files, newest.UTC().Format(time.RFC3339))}
		}
	}
	var items []taskItem
	if len(keyHits) > 0 {
		items = append(items, taskItem{task: 5, Check: report.Check{Name: "logs.key-activity", Status: Pass, Detail: describeHits(keyHits, "the key "+o.KeyID)}})
	} else {
		it := missing("the key "+o.KeyID, "make sure the trail logs management events (task 2), then open the image in the console (task 4, step 1)")
		it.Name = "logs.key-activity"
		items = append(items, taskItem{task: 5, Check: it})
	}
	if d.object {
		if len(objHits) > 0 {
			items = append(items, taskItem{task: 5, Check: report.Check{Name: "logs.image-activity", Status: Pass, Detail: describeHits(objHits, "the image "+o.ObjectKey)}})
		} else {
			it := missing("the image "+o.ObjectKey, "open the image in the console (task 4, step 1); S3 then asks KMS to decrypt it, naming the image")
			it.Name = "logs.image-activity"
			items = append(items, taskItem{task: 5, Check: it})
		}
	}
	for _, s := range res.Skipped {
		items = append(items, taskItem{task: 5, Check: report.Check{Name: "logs.unreadable-file", Status: Pass, Detail: "skipped s3://" + o.BucketName + "/" + s.Key + ": " + s.Reason}})
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
