package cloudtrailtest

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"
)

// LogFileKey is where CloudTrail delivers a file of one region at one time:
// AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 chars>.json.gz.
func LogFileKey(accountID, region string, delivered time.Time, rng *rand.Rand) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	unique := make([]byte, 16)
	for i := range unique {
		unique[i] = alphabet[rng.IntN(len(alphabet))]
	}
	d := delivered.UTC()
	return fmt.Sprintf("AWSLogs/%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_%s.json.gz",
		accountID, region, d.Format("2006/01/02"), accountID, region, d.Format("20060102T1504Z"), unique)
}

// Gzip encodes records as a CloudTrail log file: {"Records":[...]} on one
// line, gzipped.
func Gzip(records []Record) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"Records": records}); err != nil {
		return nil, fmt.Errorf("encoding records: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return buf.Bytes(), nil
}

// EventID returns a random UUID-shaped event ID.
func EventID(rng *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<12), 0x8000|rng.IntN(1<<14), rng.Int64N(1<<48))
}
