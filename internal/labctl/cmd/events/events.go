// Package events is `labctl events`: the lab key's and image's activity
// found in the trail's CloudTrail log files (lab tasks 4-6).
package events

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
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	labevents "github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

// EventsOptions are events' flags and what it takes from the Factory.
type EventsOptions struct {
	IO  *cmdutil.IOStreams
	AWS cmdutil.AWSConnector
	Now func() time.Time

	Outputs      string
	Stdin        bool // the lone "-" argument
	Conn         awsclient.Options
	Since, Until string
	Key, Object  string
	EventNames   string
	Format       string
	Wait         bool
	WaitTimeout  time.Duration
	PollInterval time.Duration
	Regions      string
	AllRegions   bool
	Concurrency  int
}

// NewCmdEvents builds `labctl events`; runF, when set, runs instead of
// eventsRun.
func NewCmdEvents(f *cmdutil.Factory, runF func(*EventsOptions) error) *cobra.Command {
	opts := &EventsOptions{IO: f.IOStreams, AWS: f.AWS, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "events [-|--outputs FILE] [flags]",
		Short: "List the lab key's and image's activity from the trail's CloudTrail log files",
		Long: `Lists the lab key's and image's activity from the trail's log files, oldest
first. Only the date folders the window needs are listed; files are
downloaded concurrently and decoded as streams. With neither --key nor
--object, records that reference the stack's key or image match.

TIME is RFC 3339 (2026-11-26T17:50:00Z), a UTC date (2026-11-26), "now", or an
age (90m, 2h, 3d). Log files of the stack's region are read; --region-folder
names other region folders (multi-region trails log each region separately)
and --all-regions reads every region folder.

A corrupt, truncated or non-CloudTrail file is reported on stderr with its key
and skipped; the rest still print and the exit code is 3.`,
		Example: `  labctl events --outputs outputs.json --wait
  labctl events --outputs outputs.json --since 2h --event Decrypt,GenerateDataKey --format json
  pulumi stack output --json | labctl events - --key alias/myFirstKey --since 2026-11-26`,
		Args:              cmdutil.StdinArg,
		ValidArgsFunction: cmdutil.CompleteStdinArg,
		PreRunE: func(cmd *cobra.Command, args []string) error {
			opts.Stdin = len(args) == 1
			return cmdutil.CheckFlags(cmd, opts.validate())
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return eventsRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddOutputsFlag(cmd, &opts.Outputs)
	cmdutil.AddAWSFlags(cmd, &opts.Conn, "the stack's region from the outputs")
	fs := cmd.Flags()
	fs.StringVar(&opts.Since, "since", "24h", "oldest event `TIME` to list")
	fs.StringVar(&opts.Until, "until", "now", "newest event `TIME` to list")
	fs.StringVar(&opts.Key, "key", "", "match this KMS key: key `ID`, key ARN or alias (default: the stack's key, unless only --object is given)")
	fs.StringVar(&opts.Object, "object", "", "match this object `KEY` in the trail bucket (default: the stack's image, unless only --key is given)")
	fs.StringVar(&opts.EventNames, "event", "", "only these event `NAMES`, comma-separated (e.g. Decrypt,GenerateDataKey)")
	fs.StringVar(&opts.Format, "format", "table", "output `format`: table or json (the CloudTrail records themselves)")
	fs.BoolVar(&opts.Wait, "wait", false, "first wait until a log file newer than the image's upload time is delivered")
	fs.DurationVar(&opts.WaitTimeout, "wait-timeout", 15*time.Minute, "give up waiting after this `duration`")
	fs.DurationVar(&opts.PollInterval, "poll-interval", 5*time.Second, "how often --wait looks for a new log file")
	fs.StringVar(&opts.Regions, "region-folder", "", "read the log folders of these `REGIONS`, comma-separated (default: the stack's region)")
	fs.BoolVar(&opts.AllRegions, "all-regions", false, "read the log folders of every region the trail logged")
	fs.IntVar(&opts.Concurrency, "concurrency", 16, "log files downloaded at once")
	return cmd
}

// validate reports every bad flag value together.
func (o *EventsOptions) validate() error {
	var problems []string
	if o.Format != "table" && o.Format != "json" {
		problems = append(problems, fmt.Sprintf("--format %q: use table or json", o.Format))
	}
	if o.Concurrency < 1 || o.Concurrency > 256 {
		problems = append(problems, fmt.Sprintf("--concurrency %d: use 1 to 256", o.Concurrency))
	}
	if o.WaitTimeout <= 0 {
		problems = append(problems, fmt.Sprintf("--wait-timeout %s: must be positive", o.WaitTimeout))
	}
	if o.PollInterval <= 0 {
		problems = append(problems, fmt.Sprintf("--poll-interval %s: must be positive", o.PollInterval))
	}
	if o.AllRegions && o.Regions != "" {
		problems = append(problems, "give either --region-folder or --all-regions, not both")
	}
	now := o.Now()
	since, err := labevents.ParseTime(o.Since, now)
	if err != nil {
		problems = append(problems, "--since: "+err.Error())
	}
	until, uerr := labevents.ParseTime(o.Until, now)
	if uerr != nil {
		problems = append(problems, "--until: "+uerr.Error())
	}
	if err == nil && uerr == nil && until.Before(since) {
		problems = append(problems, fmt.Sprintf("--until %s is before --since %s", until.Format(time.RFC3339), since.Format(time.RFC3339)))
	}
	if len(problems) > 0 {
		return cmdutil.FlagErrorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

func eventsRun(ctx context.Context, opts *EventsOptions) error {
	var args []string
	if opts.Stdin {
		args = []string{"-"}
	}
	out, err := cmdutil.LoadOutputs(opts.Outputs, args, opts.IO.In)
	if err != nil {
		return err
	}
	now := opts.Now()
	// validate has parsed both already.
	since, _ := labevents.ParseTime(opts.Since, now)
	until, _ := labevents.ParseTime(opts.Until, now)
	clients, id, err := cmdutil.ConnectToStack(ctx, opts.AWS, opts.Conn, out)
	if err != nil {
		return err
	}
	target := awsclient.Target{Region: clients.Region, Account: out.AccountID, Caller: id.ARN, Endpoint: clients.Endpoint}

	q := labevents.Query{Since: since, Until: until, EventNames: splitList(opts.EventNames)}
	if opts.Key != "" || opts.Object == "" {
		if q.Key, err = resolveKey(ctx, clients, out, opts.Key, target); err != nil {
			return err
		}
	}
	if opts.Object != "" || opts.Key == "" {
		q.Object = objectRef(out, opts.Object)
	}

	scanner := &labevents.Scanner{S3: clients.S3, Bucket: out.BucketName, Concurrency: opts.Concurrency}
	base := cloudTrailBase(out)
	if opts.Wait {
		if err := waitForDelivery(ctx, opts, clients, scanner, out, base, target); err != nil {
			return err
		}
		// The wait may have taken minutes; a default --until of "now"
		// should include what was delivered meanwhile.
		if opts.Until == "now" {
			q.Until = opts.Now()
		}
	}

	regions := []string{out.Region}
	switch {
	case opts.AllRegions:
		if regions, err = scanner.ListRegions(ctx, base); err != nil {
			return explainLogs(err, out, base, target)
		}
	case opts.Regions != "":
		regions = splitList(opts.Regions)
	}
	// No log file is stamped in the future, so an --until ahead of now
	// needs no more folders than now does.
	listUntil := q.Until
	if n := opts.Now(); listUntil.After(n) {
		listUntil = n
	}
	files, err := scanner.List(ctx, labevents.DayPrefixes(base, regions, q.Since, listUntil))
	if err != nil {
		return explainLogs(err, out, base, target)
	}
	files = labevents.Select(files, q.Since, q.Until)
	res, err := scanner.Scan(ctx, files, labevents.NewMatcher(q))
	if err != nil {
		return explainLogs(err, out, base, target)
	}

	if opts.Format == "json" {
		err = labevents.WriteJSON(opts.IO.Out, res.Matches)
	} else {
		err = labevents.WriteTable(opts.IO.Out, res.Matches)
	}
	if err != nil {
		return fmt.Errorf("writing the events: %w", err)
	}
	for _, s := range res.Skipped {
		fmt.Fprintf(opts.IO.ErrOut, "labctl: skipped s3://%s/%s: %s\n", out.BucketName, s.Key, s.Reason)
	}
	fmt.Fprintf(opts.IO.ErrOut, "%s in %s (%s) under s3://%s/%s{%s}/, %s to %s",
		report.Plural(len(res.Matches), "matching event"), report.Plural(res.Files, "log file"), report.Plural(int(res.Records), "record"),
		out.BucketName, base, strings.Join(regions, ","),
		q.Since.UTC().Format(time.RFC3339), q.Until.UTC().Format(time.RFC3339))
	if len(res.Skipped) > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "; %s skipped\n", report.Plural(len(res.Skipped), "unreadable file"))
		return cmdutil.Finish(cmdutil.Skipped, nil)
	}
	fmt.Fprintln(opts.IO.ErrOut)
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

func objectRef(out *stackout.Outputs, key string) *labevents.ObjectRef {
	if key == "" {
		key = out.ObjectKey
	}
	return &labevents.ObjectRef{
		Bucket: out.BucketName, Key: key,
		ARN: fmt.Sprintf("arn:%s:s3:::%s/%s", out.Partition, out.BucketName, key),
	}
}

// waitForDelivery blocks until CloudTrail has delivered a log file newer
// than the image, showing progress on a terminal.
func waitForDelivery(ctx context.Context, opts *EventsOptions, clients *awsclient.Clients, scanner *labevents.Scanner,
	out *stackout.Outputs, base string, target awsclient.Target) error {
	head, err := clients.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(out.BucketName), Key: aws.String(out.ObjectKey)})
	if err != nil {
		target.What = fmt.Sprintf("the image s3://%s/%s (its upload time)", out.BucketName, out.ObjectKey)
		return awsclient.Explain(err, target)
	}
	uploaded := aws.ToTime(head.LastModified)
	p := newProgress(opts.IO.ErrOut, opts.IO.ErrTTY, uploaded, opts.WaitTimeout)
	file, err := scanner.WaitForDelivery(ctx, labevents.WaitOptions{
		Base: base, Region: out.Region, After: uploaded,
		Interval: opts.PollInterval, Timeout: opts.WaitTimeout, Progress: p.update, Now: opts.Now,
	})
	if err != nil {
		p.clear()
		var timeout *labevents.ErrWaitTimeout
		if errors.As(err, &timeout) {
			return err
		}
		return explainLogs(err, out, base, target)
	}
	p.done(file)
	return nil
}
