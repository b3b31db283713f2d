package events

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDayPrefixesListOnlyTheNeededDays(t *testing.T) {
	base := "AWSLogs/111122223333/CloudTrail/"
	tests := []struct {
		name         string
		since, until time.Time
		regions      []string
		want         []string
	}{
		{"one day", t0.Add(-time.Hour), t0, []string{"us-west-2"},
			[]string{base + "us-west-2/2026/11/26/"}},
		{"events just before midnight land in the next day's folder",
			time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 23, 50, 0, 0, time.UTC), []string{"us-west-2"},
			[]string{base + "us-west-2/2026/11/30/", base + "us-west-2/2026/12/01/"}},
		{"two regions, across a month end", time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC),
			[]string{"us-west-2", "us-east-1"},
			[]string{base + "us-west-2/2026/11/30/", base + "us-west-2/2026/12/01/", base + "us-east-1/2026/11/30/", base + "us-east-1/2026/12/01/"}},
		{"a zone other than UTC", time.Date(2026, 11, 26, 20, 0, 0, 0, time.FixedZone("PST", -8*3600)),
			time.Date(2026, 11, 26, 21, 0, 0, 0, time.FixedZone("PST", -8*3600)), []string{"us-west-2"},
			[]string{base + "us-west-2/2026/11/27/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, DayPrefixes(base, tt.regions, tt.since, tt.until))
		})
	}
}

// CloudTrail names a log file AccountID_CloudTrail_RegionName_
// YYYYMMDDTHHmmZ_UniqueString.json.gz, for example
// 111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz
// (AWS CloudTrail User Guide, "CloudTrail log file name format").
func TestParseStampReadsCloudTrailFileNames(t *testing.T) {
	key := "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz"
	stamp, ok := parseStamp(key)
	assert.True(t, ok, key)
	assert.Equal(t, time.Date(2015, 8, 1, 2, 10, 0, 0, time.UTC), stamp)

	for _, bad := range []string{
		"AWSLogs/111122223333/CloudTrail/us-west-2/2026/11/26/notes.txt",
		"AWSLogs/111122223333/CloudTrail/us-west-2/2026/11/26/111122223333_CloudTrail_us-west-2_20261126T1752Z_abc.json",
		"AWSLogs/111122223333/CloudTrail-Digest/us-west-2/2026/11/26/111122223333_CloudTrail-Digest_us-west-2_myTrail_us-west-2_20261126T175203Z.json.gz",
	} {
		_, ok := parseStamp(bad)
		assert.False(t, ok, bad)
	}
}

func TestSelectKeepsFilesThatCanHoldTheWindow(t *testing.T) {
	since, until := t0, t0.Add(time.Hour)
	files := []LogFile{
		{Key: "too-early", Stamp: since.Add(-10 * time.Minute)},
		{Key: "stamp-rounded-down", Stamp: since.Add(-time.Minute)},
		{Key: "inside", Stamp: since.Add(30 * time.Minute)},
		{Key: "delivered-late", Stamp: until.Add(20 * time.Minute)},
		{Key: "too-late", Stamp: until.Add(2 * time.Hour)},
		{Key: "no-stamp"},
	}
	var keys []string
	for _, f := range Select(files, since, until) {
		keys = append(keys, f.Key)
	}
	assert.Equal(t, []string{"stamp-rounded-down", "inside", "delivered-late", "no-stamp"}, keys)
}
