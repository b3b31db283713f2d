// Package events is `labctl events`: the lab key's and image's activity
// found in the trail's CloudTrail log files (lab tasks 4-6).
package events

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	labevents "github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
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
	return cmdutil.Problems(problems)
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

	base := labevents.StackLogBase(out)
	search := labevents.Search{S3: clients.S3, Bucket: out.BucketName, Base: base, Concurrency: opts.Concurrency,
		Regions: []string{out.Region}, AllRegions: opts.AllRegions,
		Query: labevents.Query{Since: since, Until: until, EventNames: splitList(opts.EventNames)}}
	if opts.Regions != "" {
		search.Regions = splitList(opts.Regions)
	}
	if opts.Key != "" || opts.Object == "" {
		search.Query.Key, err = labevents.ResolveKey(ctx, clients.KMS, out, opts.Key, target)
		var keyErr *labevents.KeyError
		if errors.As(err, &keyErr) {
			return cmdutil.FlagErrorf("--key %q %s", keyErr.Value, keyErr.Rule)
		}
		if err != nil {
			return err
		}
	}
	if opts.Object != "" || opts.Key == "" {
		search.Query.Object = labevents.StackObject(out, opts.Object)
	}
	if opts.Wait {
		if err := waitForDelivery(ctx, opts, clients, out, base, target); err != nil {
			return err
		}
		// The wait may have taken minutes; a default --until of "now"
		// should include what was delivered meanwhile.
		if opts.Until == "now" {
			search.Query.Until = opts.Now()
		}
	}
	search.Now = opts.Now()
	res, err := search.Run(ctx)
	if err != nil {
		return labevents.ExplainLogs(err, out.BucketName, base, target)
	}

	if opts.Format == "json" {
		err = labevents.WriteJSON(opts.IO.Out, res.Matches)
	} else {
		err = labevents.WriteTable(opts.IO.Out, res.Matches)
	}
	if err != nil {
		return fmt.Errorf("writing the events: %w", err)
	}
	if err := search.WriteNotes(opts.IO.ErrOut, res); err != nil {
		return fmt.Errorf("writing the events: %w", err)
	}
	if len(res.Skipped) > 0 {
		return cmdutil.Finish(cmdutil.Skipped, nil)
	}
	return nil
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

// waitForDelivery blocks until CloudTrail has delivered a log file newer
// than the image, showing progress on a terminal.
func waitForDelivery(ctx context.Context, opts *EventsOptions, clients *awsclient.Clients,
	out *stackout.Outputs, base string, target awsclient.Target) error {
	uploaded, err := labevents.ImageUploaded(ctx, clients.S3, out, target)
	if err != nil {
		return err
	}
	scanner := &labevents.Scanner{S3: clients.S3, Bucket: out.BucketName}
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
		return labevents.ExplainLogs(err, out.BucketName, base, target)
	}
	p.done(file)
	return nil
}
