package events

import (
	"regexp"
	"strings"
	"time"
)

// Delivery timing that decides which log files a time window needs.
const (
	// deliveryLag is how long after an event its log file may still be
	// delivered. AWS states about 5 minutes on average, without a bound;
	// files stamped up to this long after --until are read.
	deliveryLag = 30 * time.Minute
	// stampSlack covers the file name's minute resolution: a file stamped
	// 10:05 can hold events of 10:05:40.
	stampSlack = 5 * time.Minute
)

// logFileName is <account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<unique>.json.gz.
var logFileName = regexp.MustCompile(`^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{4}Z)_[A-Za-z0-9]+\.json\.gz$`)

// LogFile is one object under the trail's log prefix.
type LogFile struct {
	Key          string
	Size         int64
	LastModified time.Time
	// Stamp is the delivery time in the file name; zero when the name is
	// not a CloudTrail log file name.
	Stamp time.Time
}

// parseStamp reads the delivery time from a log file's object key.
func parseStamp(key string) (time.Time, bool) {
	m := logFileName.FindStringSubmatch(key[strings.LastIndex(key, "/")+1:])
	if m == nil {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102T1504Z", m[3])
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// isLogFileName reports whether key ends in a CloudTrail log file name.
func isLogFileName(key string) bool {
	_, ok := parseStamp(key)
	return ok
}

// DayPrefixes lists the date folders, base<region>/YYYY/MM/DD/, that can
// hold events between since and until. base is the trail's
// AWSLogs/<account>/CloudTrail/ prefix.
func DayPrefixes(base string, regions []string, since, until time.Time) []string {
	first := since.UTC().Add(-stampSlack).Truncate(24 * time.Hour)
	last := until.UTC().Add(deliveryLag)
	var out []string
	for _, r := range regions {
		for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
			out = append(out, base+r+"/"+d.Format("2006/01/02")+"/")
		}
	}
	return out
}

// inWindow reports whether a file stamped at stamp can hold events between
// since and until. Files without a stamp are read, not guessed about.
func inWindow(f LogFile, since, until time.Time) bool {
	if f.Stamp.IsZero() {
		return true
	}
	return !f.Stamp.Before(since.Add(-stampSlack)) && !f.Stamp.After(until.Add(deliveryLag))
}
