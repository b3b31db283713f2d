package labctl

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

type eventsFlags struct {
	common       commonFlags
	since, until string
	key, object  string
	eventNames   string
	format       string
	wait         bool
	waitTimeout  time.Duration
	pollInterval time.Duration
	regions      string
	allRegions   bool
	concurrency  int
}

func (a *App) newEventsCmd(run runFunc) *cobra.Command {
	var f eventsFlags
	cmd := &cobra.Command{
		Use:   "events [-|--outputs FILE] [flags]",
		Short: "List the lab key's and image's activity from the trail's CloudTrail log files",
		Long:  eventsLong,
		Example: `  labctl events --outputs outputs.json --wait
  labctl events --outputs outputs.json --since 2h --event Decrypt,GenerateDataKey --format json
  pulumi stack output --json | labctl events - --key alias/myFirstKey --since 2026-11-26`,
		ValidArgsFunction: stdinArg,
	}
	f.common.register(cmd)
	fs := cmd.Flags()
	fs.StringVar(&f.since, "since", "24h", "oldest event `TIME` to list")
	fs.StringVar(&f.until, "until", "now", "newest event `TIME` to list")
	fs.StringVar(&f.key, "key", "", "match this KMS key: key `ID`, key ARN or alias (default: the stack's key, unless only --object is given)")
	fs.StringVar(&f.object, "object", "", "match this object `KEY` in the trail bucket (default: the stack's image, unless only --key is given)")
	fs.StringVar(&f.eventNames, "event", "", "only these event `NAMES`, comma-separated (e.g. Decrypt,GenerateDataKey)")
	fs.StringVar(&f.format, "format", "table", "output `format`: table or json (the CloudTrail records themselves)")
	fs.BoolVar(&f.wait, "wait", false, "first wait until a log file newer than the image's upload time is delivered")
	fs.DurationVar(&f.waitTimeout, "wait-timeout", 15*time.Minute, "give up waiting after this `duration`")
	fs.DurationVar(&f.pollInterval, "poll-interval", 5*time.Second, "how often --wait looks for a new log file")
	fs.StringVar(&f.regions, "region-folder", "", "read the log folders of these `REGIONS`, comma-separated (default: the stack's region)")
	fs.BoolVar(&f.allRegions, "all-regions", false, "read the log folders of every region the trail logged")
	fs.IntVar(&f.concurrency, "concurrency", 16, "log files downloaded at once")
	cmd.RunE = run(func(ctx context.Context, args []string) (int, error) { return a.events(ctx, &f, args) })
	return cmd
}

func (a *App) events(ctx context.Context, f *eventsFlags, positional []string) (int, error) {
	if err := f.validate(); err != nil {
		return ExitError, err
	}
	out, err := f.common.loadOutputs(positional, a.Stdin)
	if err != nil {
		return ExitError, err
	}
	now := a.now()
	since, err := events.ParseTime(f.since, now)
	if err != nil {
		return ExitError, usageError("--since: " + err.Error())
	}
	until, err := events.ParseTime(f.until, now)
	if err != nil {
		return ExitError, usageError("--until: " + err.Error())
	}
	if until.Before(since) {
		return ExitError, usageError(fmt.Sprintf("--until %s is before --since %s", until.Format(time.RFC3339), since.Format(time.RFC3339)))
	}
	clients, id, err := f.common.connect(ctx, out)
	if err != nil {
		return ExitError, err
	}
	target := awsclient.Target{Region: clients.Region, Account: out.AccountID, Caller: id.ARN, Endpoint: clients.Endpoint}

	q := events.Query{Since: since, Until: until, EventNames: splitList(f.eventNames)}
	if f.key != "" || f.object == "" {
		if q.Key, err = resolveKey(ctx, clients, out, f.key, target); err != nil {
			return ExitError, err
		}
	}
	if f.object != "" || f.key == "" {
		q.Object = objectRef(out, f.object)
	}

	scanner := &events.Scanner{S3: clients.S3, Bucket: out.BucketName, Concurrency: f.concurrency}
	base := cloudTrailBase(out)
	if f.wait {
		if err := a.waitForDelivery(ctx, clients, scanner, out, base, *f, target); err != nil {
			return ExitError, err
		}
		// The wait may have taken minutes; a default --until of "now"
		// should include what was delivered meanwhile.
		if f.until == "now" {
			q.Until = a.now()
		}
	}

	regions := []string{out.Region}
	switch {
	case f.allRegions:
		if regions, err = scanner.ListRegions(ctx, base); err != nil {
			return ExitError, explainLogs(err, out, base, target)
		}
	case f.regions != "":
		regions = splitList(f.regions)
	}
	// No log file is stamped in the future, so an --until ahead of now
	// needs no more folders than now does.
	listUntil := q.Until
	if n := a.now(); listUntil.After(n) {
		listUntil = n
	}
	files, err := scanner.List(ctx, events.DayPrefixes(base, regions, q.Since, listUntil))
	if err != nil {
		return ExitError, explainLogs(err, out, base, target)
	}
	files = events.Select(files, q.Since, q.Until)
	res, err := scanner.Scan(ctx, files, events.NewMatcher(q))
	if err != nil {
		return ExitError, explainLogs(err, out, base, target)
	}

	if f.format == "json" {
		err = events.WriteJSON(a.Stdout, res.Matches)
	} else {
		err = events.WriteTable(a.Stdout, res.Matches)
	}
	if err != nil {
		return ExitError, fmt.Errorf("writing the events: %w", err)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(a.Stderr, "labctl: skipped s3://%s/%s: %s\n", out.BucketName, s.Key, s.Reason)
	}
	fmt.Fprintf(a.Stderr, "%d matching events in %d log files (%d records) under s3://%s/%s{%s}/, %s to %s",
		len(res.Matches), res.Files, res.Records, out.BucketName, base, strings.Join(regions, ","),
		q.Since.UTC().Format(time.RFC3339), q.Until.UTC().Format(time.RFC3339))
	if len(res.Skipped) > 0 {
		fmt.Fprintf(a.Stderr, "; %d unreadable files skipped\n", len(res.Skipped))
		return ExitSkipped, nil
	}
	fmt.Fprintln(a.Stderr)
	return ExitOK, nil
}

func (f *eventsFlags) validate() error {
	switch {
	case f.format != "table" && f.format != "json":
		return usageError(fmt.Sprintf("--format %q: use table or json", f.format))
	case f.concurrency < 1 || f.concurrency > 256:
		return usageError(fmt.Sprintf("--concurrency %d: use 1 to 256", f.concurrency))
	case f.waitTimeout <= 0 || f.pollInterval <= 0:
		return usageError("--wait-timeout and --poll-interval must be positive")
	case f.allRegions && f.regions != "":
		return usageError("give either --region-folder or --all-regions, not both")
	}
	return nil
}

// cloudTrailBase is AWSLogs/<account>/CloudTrail/, taken from the
// outputs' logPrefix so that a trail with an S3 key prefix works too.
func cloudTrailBase(out *stackout.Outputs) string {
	if b, ok := strings.CutSuffix(out.LogPrefix, out.Region+"/"); ok {
		return b
	}
	return fmt.Sprintf("AWSLogs/%s/CloudTrail/", out.AccountID)
}

func explainLogs(err error, out *stackout.Outputs, base string, t awsclient.Target) error {
	t.What = fmt.Sprintf("the trail's log files in s3://%s/%s", out.BucketName, base)
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode() == "NoSuchBucket" {
		t.What = fmt.Sprintf("the trail bucket %s (outputs \"bucketName\")", out.BucketName)
	}
	return awsclient.Explain(err, t)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func objectRef(out *stackout.Outputs, key string) *events.ObjectRef {
	if key == "" {
		key = out.ObjectKey
	}
	return &events.ObjectRef{
		Bucket: out.BucketName, Key: key,
		ARN: fmt.Sprintf("arn:%s:s3:::%s/%s", out.Partition, out.BucketName, key),
	}
}

// waitForDelivery blocks until CloudTrail has delivered a log file newer
// than the image, showing progress on a terminal.
func (a *App) waitForDelivery(ctx context.Context, clients *awsclient.Clients, scanner *events.Scanner,
	out *stackout.Outputs, base string, f eventsFlags, target awsclient.Target) error {
	head, err := clients.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(out.BucketName), Key: aws.String(out.ObjectKey)})
	if err != nil {
		target.What = fmt.Sprintf("the image s3://%s/%s (its upload time)", out.BucketName, out.ObjectKey)
		return awsclient.Explain(err, target)
	}
	uploaded := aws.ToTime(head.LastModified)
	p := newProgress(a.Stderr, isTerminal(a.Stderr), uploaded, f.waitTimeout)
	file, err := scanner.WaitForDelivery(ctx, events.WaitOptions{
		Base: base, Region: out.Region, After: uploaded,
		Interval: f.pollInterval, Timeout: f.waitTimeout, Progress: p.update, Now: a.Now,
	})
	if err != nil {
		p.clear()
		var timeout *events.ErrWaitTimeout
		if errors.As(err, &timeout) {
			return err
		}
		return explainLogs(err, out, base, target)
	}
	p.done(file)
	return nil
}
