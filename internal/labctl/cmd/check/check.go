// Package check is `labctl check`: a lab done by hand in the console,
// graded task by task against the lab guide.
package check

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/iamarn"
	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	labcheck "github.com/kms-lab/kms-lab/internal/labctl/check"
	labclean "github.com/kms-lab/kms-lab/internal/labctl/clean"
	"github.com/kms-lab/kms-lab/internal/labctl/cmd/snapshot/shared"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labnames"
	"github.com/kms-lab/kms-lab/internal/valuetext"
)

// CheckOptions are check's flags and what it takes from the Factory.
type CheckOptions struct {
	IO  *cmdutil.IOStreams
	AWS cmdutil.AWSConnector
	Now func() time.Time

	Conn         awsclient.Options
	Student      string
	Alias        string
	Trail        string
	BucketPrefix string
	Since        string
	JSON         bool
	// Snapshot is a snapshot file to grade offline instead of reading AWS.
	Snapshot string
	// SinceTime is Since parsed by validation; zero when not given.
	SinceTime time.Time
	// Version is labctl's, recorded in a snapshot.
	Version string
}

// NewCmdCheck builds `labctl check`; runF, when set, runs instead of
// checkRun.
func NewCmdCheck(f *cmdutil.Factory, runF func(*CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{IO: f.IOStreams, AWS: f.AWS, Now: f.Now, Version: f.BuildInfo.Version}
	cmd := &cobra.Command{
		Use:   "check [flags]",
		Short: "Grade a lab done by hand in the console, task by task",
		Long: `Grades the lab a student did by hand in the console, task by task, with no
stack outputs: it finds the key by its alias, the trail by its name, the
bucket through the trail and the image in the bucket, and checks what the
lab guide's six tasks ask for. Task 5 reads the trail's log files; task 6
follows the key policy's PutKeyPolicy calls in the log files and, where the
account allows cloudtrail:LookupEvents, in the event history.

Each task is pass, fail (with what was seen and a hint for the student) or
unknown (a read that AWS throttled, refused or failed with a 5xx or a
timeout, or log files not delivered yet; with when to retry, never a hint).
--json prints {"tasks": [{"task", "title", "status", "checks": [{"name",
"status", "detail"}]}]}. Exit code 0 when every task passes, 1 when one
fails or waits for log delivery, 2 on usage errors or when a read was
throttled, refused or failed.

--snapshot FILE grades a snapshot that ` + "`labctl snapshot`" + ` wrote, without AWS, with
the same output and exit codes: for support, not marks, since a file can be
edited.`,
		Example: `  labctl check --region us-west-2
  labctl check --region us-west-2 --student arn:aws:iam::111122223333:user/AWSLabsUser-abc --json
  labctl check --snapshot student.json`,
		Args:              cmdutil.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			return cmdutil.CheckFlags(cmd, opts.validate())
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.Snapshot != "" {
				if err := shared.Alone(cmd, "region", "profile", "endpoint-url", "student", "alias", "trail", "bucket-prefix", "since"); err != nil {
					return err
				}
				if runF != nil {
					return runF(opts)
				}
				return checkSnapshotRun(opts)
			}
			if runF != nil {
				return runF(opts)
			}
			return checkRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddAWSFlags(cmd, &opts.Conn, "the profile's region")
	fs := cmd.Flags()
	fs.StringVar(&opts.Student, "student", "", "the student's IAM user or role `ARN` (default: the caller; an assumed role counts as its role)")
	fs.StringVar(&opts.Alias, "alias", labnames.GuideAlias, "the key's alias `name`, without alias/")
	fs.StringVar(&opts.Trail, "trail", labnames.GuideTrail, "the trail's `name`")
	fs.StringVar(&opts.BucketPrefix, "bucket-prefix", labnames.GuideBucketPrefix, "the trail bucket's name `prefix`")
	fs.StringVar(&opts.Since, "since", "", "oldest log record to read, `TIME` as for events (default: the key's creation)")
	fs.BoolVar(&opts.JSON, "json", false, `print {"tasks": [...]} instead of the task list`)
	fs.StringVar(&opts.Snapshot, "snapshot", "", "grade the snapshot `FILE` that labctl snapshot wrote, offline")
	return cmd
}

// aliasNameRe is what KMS accepts after alias/ (CreateAlias, AliasName).
var aliasNameRe = regexp.MustCompile(`^[A-Za-z0-9/_-]{1,250}$`)

// Validate is validate, for labctl snapshot, which takes check's flags.
func (o *CheckOptions) Validate() error { return o.validate() }

// validate reports every bad flag value together, and parses --since.
func (o *CheckOptions) validate() error {
	var problems []string
	if o.Student != "" && !iamarn.IsUserOrRole(o.Student) {
		problems = append(problems, fmt.Sprintf("--student %s: use an IAM user or role ARN (arn:aws:iam::123456789012:user/NAME)", valuetext.Quote(o.Student)))
	}
	if strings.HasPrefix(o.Alias, "alias/") || !aliasNameRe.MatchString(o.Alias) {
		problems = append(problems, fmt.Sprintf("--alias %s: give the alias name without alias/ (letters, digits, / _ -)", valuetext.Quote(o.Alias)))
	}
	// The trail and the buckets are the ones clean would remove: the same
	// names, by the same rules.
	names := labclean.GuideOptions()
	names.Trail, names.BucketPrefix = o.Trail, o.BucketPrefix
	if err := names.Validate(); err != nil {
		problems = append(problems, cmdutil.FlagText(err))
	}
	if o.Since != "" {
		now := o.Now()
		t, err := events.ParseTime(o.Since, now)
		switch {
		case err != nil:
			problems = append(problems, "--since: "+err.Error())
		case t.After(now):
			// As events refuses a --since after its --until (now): no log
			// record is written in the future.
			problems = append(problems, fmt.Sprintf("--since %s is after now (%s): give a time in the past, or an age such as 2h",
				t.Format(time.RFC3339), now.UTC().Format(time.RFC3339)))
		}
		o.SinceTime = t
	}
	if len(problems) > 0 {
		return cmdutil.FlagErrorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

// Observe reads what check grades of the account opts names: the
// snapshot labctl check and labctl snapshot share. It returns the student
// it resolved.
func Observe(ctx context.Context, opts *CheckOptions) (*account.Snapshot, error) {
	clients, err := opts.AWS(ctx, opts.Conn, "")
	if err != nil {
		return nil, err
	}
	if clients.Region == "" {
		return nil, cmdutil.FlagErrorf("no region: pass --region with the lab's region (the lab guide's LabRegion) or set one in the profile")
	}
	id, err := clients.WhoAmI(ctx)
	if err != nil {
		return nil, err
	}
	student, err := labcheck.ResolveStudent(opts.Student, id.ARN, id.Account)
	if err != nil {
		return nil, studentFlagError(err)
	}
	obs := &account.Observer{Clients: clients, Identity: id, Now: opts.Now}
	return obs.Observe(ctx, account.Request{Command: "check", Names: opts.options().Names(student), Reads: labcheck.Reads(),
		Since: opts.SinceTime, Tool: opts.Version}), nil
}

// studentFlagError words a default student that cannot be one as the
// --student flag it asks for.
func studentFlagError(err error) error {
	var se *labcheck.StudentError
	if !errors.As(err, &se) {
		return err
	}
	return cmdutil.FlagErrorf("--student is required: the caller %s is %s, so it cannot be the student the key policy names; "+
		"pass --student with the student's IAM user or role ARN (arn:%s:iam::%s:user/AWSLabsUser-NAME)",
		se.Caller, se.Is, se.Partition, se.Account)
}

func (o *CheckOptions) options() labcheck.Options {
	return labcheck.Options{Student: o.Student, Alias: o.Alias, Trail: o.Trail, BucketPrefix: o.BucketPrefix, Since: o.SinceTime}
}

func checkRun(ctx context.Context, opts *CheckOptions) error {
	snap, err := Observe(ctx, opts)
	if err != nil {
		return err
	}
	return writeGrade(opts, snap, opts.options())
}

// checkSnapshotRun grades a snapshot file by the names it was taken with.
func checkSnapshotRun(opts *CheckOptions) error {
	snap, err := account.ReadFile(opts.Snapshot)
	if err != nil {
		return err
	}
	if snap.Taken.Command != "check" {
		return cmdutil.FlagErrorf("--snapshot %s was taken for %s, not check: take it with `labctl snapshot` and check's flags", opts.Snapshot, snap.Taken.Command)
	}
	n := snap.Names
	o := labcheck.Options{Student: n.Student, Alias: strings.TrimPrefix(n.Alias, "alias/"), Trail: n.Trail, BucketPrefix: n.BucketPrefix}
	noticeTo := opts.IO.Out
	if opts.JSON {
		noticeTo = opts.IO.ErrOut // stdout stays one JSON document
	}
	fmt.Fprintln(noticeTo, shared.Notice(snap))
	return writeGrade(opts, snap, o)
}

// writeGrade grades snap as of when it was taken, prints the report and
// sets the exit code.
func writeGrade(opts *CheckOptions, snap *account.Snapshot, o labcheck.Options) error {
	report := labcheck.Grade(snap, o, snap.Taken.At)
	var err error
	if opts.JSON {
		err = labcheck.WriteJSON(opts.IO.Out, report)
	} else {
		fmt.Fprintf(opts.IO.Out, "lab in account %s, %s, student %s\n", snap.Taken.Account, snap.Taken.Region, snap.Names.Student)
		err = labcheck.WriteText(opts.IO.Out, report)
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return cmdutil.Finish(cmdutil.Outcome(report.Outcome()), nil)
}
