package events

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

// Search is one search of a trail bucket's log files: which region
// folders, which time window, what to match. `labctl events` runs one, and
// so can any command that grades from the logs.
type Search struct {
	S3          S3API
	Bucket      string
	Base        string   // AWSLogs/<account>/CloudTrail/, under the trail's S3 key prefix (LogBase)
	Regions     []string // region folders to read; ignored with AllRegions
	AllRegions  bool     // read every region folder the trail logged
	Concurrency int      // log files downloaded at once
	Query       Query
	// Now bounds the folders listed: no log file is stamped in the
	// future, so a window reaching past now needs no more than now does.
	Now time.Time
}

// Found is a search's outcome: what matched, and what was read.
type Found struct {
	*Result
	Regions  []string  // the region folders read
	Selected []LogFile // the log files the window selected
}

// Run lists the region folders the search needs (only the date folders of
// its window), selects the files whose stamps can hold its events, and
// scans them. Its error is the S3 call's, for Explain.
func (s Search) Run(ctx context.Context) (*Found, error) {
	scanner := &Scanner{S3: s.S3, Bucket: s.Bucket, Concurrency: s.Concurrency}
	regions := s.Regions
	if s.AllRegions {
		var err error
		if regions, err = scanner.ListRegions(ctx, s.Base); err != nil {
			return nil, err
		}
	}
	listUntil := s.Query.Until
	if !s.Now.IsZero() && listUntil.After(s.Now) {
		listUntil = s.Now
	}
	files, err := scanner.List(ctx, DayPrefixes(s.Base, regions, s.Query.Since, listUntil))
	if err != nil {
		return nil, err
	}
	files = Select(files, s.Query.Since, s.Query.Until)
	res, err := scanner.Scan(ctx, files, NewMatcher(s.Query))
	if err != nil {
		return nil, err
	}
	return &Found{Result: res, Regions: regions, Selected: files}, nil
}

// LogBase is where CloudTrail writes an account's log files in the trail
// bucket: AWSLogs/<account>/CloudTrail/ under the trail's S3 key prefix,
// if any ("<bucket>/<prefix>/AWSLogs/<account>/CloudTrail/<region>/...",
// AWS CloudTrail User Guide, "Finding your CloudTrail log files").
func LogBase(keyPrefix, account string) string {
	base := fmt.Sprintf("AWSLogs/%s/CloudTrail/", account)
	if keyPrefix != "" {
		base = strings.TrimSuffix(keyPrefix, "/") + "/" + base
	}
	return base
}

// StackLogBase is the log base of a stack, from its logPrefix output (the
// region's folder) so that a trail with an S3 key prefix works too.
func StackLogBase(out *stackout.Outputs) string {
	if b, ok := strings.CutSuffix(out.LogPrefix, out.Region+"/"); ok {
		return b
	}
	return LogBase("", out.AccountID)
}

// ExplainLogs words a failed read of the log files under base in bucket:
// the bucket itself when S3 says it does not exist, the log files
// otherwise.
func ExplainLogs(err error, bucket, base string, t awsclient.Target) error {
	t.What = fmt.Sprintf("the trail's log files in s3://%s/%s", bucket, base)
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode() == "NoSuchBucket" {
		t.What = fmt.Sprintf("the trail bucket %s (outputs \"bucketName\")", bucket)
	}
	return awsclient.Explain(err, t)
}

// WriteNotes prints what a search skipped, one "labctl: skipped" line per
// unreadable file, and what it read: "N matching events in M log files (R
// records) under s3://bucket/base{regions}/, since to until", ending with
// how many files were skipped, if any. A reader of the table on stdout
// sees these on stderr.
func (s Search) WriteNotes(w io.Writer, f *Found) error {
	var b strings.Builder
	for _, sk := range f.Skipped {
		fmt.Fprintf(&b, "labctl: skipped s3://%s/%s: %s\n", s.Bucket, sk.Key, sk.Reason)
	}
	fmt.Fprintf(&b, "%s in %s (%s) under s3://%s/%s{%s}/, %s to %s",
		report.Plural(len(f.Matches), "matching event"), report.Plural(f.Files, "log file"), report.Plural(int(f.Records), "record"),
		s.Bucket, s.Base, strings.Join(f.Regions, ","),
		s.Query.Since.UTC().Format(time.RFC3339), s.Query.Until.UTC().Format(time.RFC3339))
	if len(f.Skipped) > 0 {
		fmt.Fprintf(&b, "; %s skipped", report.Plural(len(f.Skipped), "unreadable file"))
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// HeadObjectAPI reads an object's metadata.
type HeadObjectAPI interface {
	HeadObject(context.Context, *s3.HeadObjectInput, ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
}

// ImageUploaded is when the stack's image was uploaded: records of the
// upload are in log files delivered after it.
func ImageUploaded(ctx context.Context, c HeadObjectAPI, out *stackout.Outputs, t awsclient.Target) (time.Time, error) {
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(out.BucketName), Key: aws.String(out.ObjectKey)})
	if err != nil {
		t.What = fmt.Sprintf("the image s3://%s/%s (its upload time)", out.BucketName, out.ObjectKey)
		return time.Time{}, awsclient.Explain(err, t)
	}
	return aws.ToTime(head.LastModified), nil
}
