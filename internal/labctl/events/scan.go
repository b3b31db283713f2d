package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// S3API is the part of the S3 client the search uses.
type S3API interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, optFns ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, optFns ...func(*s3.Options)) (*s3.GetObjectOutput, error)
}

// Skipped is a log file that could not be read.
type Skipped struct {
	Key    string
	Reason string
}

// Result is the outcome of a search.
type Result struct {
	Matches []Match
	Skipped []Skipped
	Files   int   // log files read
	Records int64 // records in the files read
}

// Scanner searches one bucket's log files.
type Scanner struct {
	S3          S3API
	Bucket      string
	Concurrency int
}

// ListRegions returns the region folders under base (AWSLogs/<acct>/CloudTrail/).
func (s *Scanner) ListRegions(ctx context.Context, base string) ([]string, error) {
	var regions []string
	p := s3.NewListObjectsV2Paginator(s.S3, &s3.ListObjectsV2Input{
		Bucket: aws.String(s.Bucket), Prefix: aws.String(base), Delimiter: aws.String("/"),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("listing region folders under s3://%s/%s: %w", s.Bucket, base, err)
		}
		for _, cp := range page.CommonPrefixes {
			r := strings.TrimSuffix(strings.TrimPrefix(aws.ToString(cp.Prefix), base), "/")
			if r != "" {
				regions = append(regions, r)
			}
		}
	}
	sort.Strings(regions)
	return regions, nil
}

// List returns the objects under the given folder prefixes. Folder markers
// (keys ending in "/") are left out.
func (s *Scanner) List(ctx context.Context, prefixes []string) ([]LogFile, error) {
	var files []LogFile
	for _, prefix := range prefixes {
		p := s3.NewListObjectsV2Paginator(s.S3, &s3.ListObjectsV2Input{
			Bucket: aws.String(s.Bucket), Prefix: aws.String(prefix),
		})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("listing s3://%s/%s: %w", s.Bucket, prefix, err)
			}
			for _, o := range page.Contents {
				key := aws.ToString(o.Key)
				if strings.HasSuffix(key, "/") {
					continue
				}
				stamp, _ := parseStamp(key)
				files = append(files, LogFile{
					Key: key, Size: aws.ToInt64(o.Size), LastModified: aws.ToTime(o.LastModified), Stamp: stamp,
				})
			}
		}
	}
	return files, nil
}

// Select keeps the files a window needs: those whose name stamp can hold
// events between since and until, and every file whose name is not a
// CloudTrail log file name (so that it is reported, not silently ignored).
func Select(files []LogFile, since, until time.Time) []LogFile {
	var out []LogFile
	for _, f := range files {
		if inWindow(f, since, until) {
			out = append(out, f)
		}
	}
	return out
}

// Scan downloads files with at most Concurrency at a time and decodes each
// as a stream, so memory stays bounded whatever the number and size of the
// files. A file that cannot be read is skipped and listed in the result;
// an S3 failure that would hit every file (access denied, a missing bucket)
// stops the search with an error.
func (s *Scanner) Scan(ctx context.Context, files []LogFile, m *Matcher) (*Result, error) {
	workers := max(1, min(s.Concurrency, len(files)))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	var (
		mu      sync.Mutex
		res     = &Result{}
		records atomic.Int64
		next    atomic.Int64
		wg      sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(files) || ctx.Err() != nil {
					return
				}
				f := files[i]
				matches, n, err := s.scanFile(ctx, f, m)
				var fe *FileError
				switch {
				case err == nil:
					records.Add(int64(n))
					mu.Lock()
					res.Matches = append(res.Matches, matches...)
					res.Files++
					mu.Unlock()
				case errors.As(err, &fe):
					// A bad file's matches are dropped with it: a partly read
					// file is reported as skipped, not half-trusted.
					mu.Lock()
					res.Skipped = append(res.Skipped, Skipped{Key: f.Key, Reason: fe.Error()})
					mu.Unlock()
				default:
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	res.Records = records.Load()
	sortMatches(res.Matches)
	sort.Slice(res.Skipped, func(i, j int) bool { return res.Skipped[i].Key < res.Skipped[j].Key })
	return res, nil
}

func (s *Scanner) scanFile(ctx context.Context, f LogFile, m *Matcher) ([]Match, int, error) {
	if f.Stamp.IsZero() {
		return nil, 0, &FileError{Reason: errNotCloudTrail.Error() + " (name is not <account>_CloudTrail_<region>_<time>_<id>.json.gz)", Err: errNotCloudTrail}
	}
	out, err := s.S3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.Bucket), Key: aws.String(f.Key)})
	if err != nil {
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) && apiErr.ErrorCode() == "NoSuchKey" {
			return nil, 0, &FileError{Reason: "deleted while the search ran"}
		}
		return nil, 0, fmt.Errorf("downloading s3://%s/%s: %w", s.Bucket, f.Key, err)
	}
	defer out.Body.Close()
	var matches []Match
	n, err := readLogFile(out.Body, func(raw []byte) error {
		if !m.mayMatch(raw) {
			return nil
		}
		var rec Record
		if err := json.Unmarshal(raw, &rec); err != nil {
			return &FileError{Reason: errNotCloudTrail.Error() + " (record does not have CloudTrail's shape)", Err: err}
		}
		if match, ok := m.Match(&rec); ok {
			match.Raw = append(json.RawMessage(nil), raw...)
			matches = append(matches, match)
		}
		return nil
	})
	return matches, n, err
}

// sortMatches orders by event time, then event ID so output is stable.
func sortMatches(ms []Match) {
	sort.Slice(ms, func(i, j int) bool {
		a, b := ms[i].Record, ms[j].Record
		if !a.EventTime.Equal(b.EventTime) {
			return a.EventTime.Before(b.EventTime)
		}
		return a.EventID < b.EventID
	})
}
