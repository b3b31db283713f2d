package labctl

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/iamarn"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/check"
	"github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
)

type checkFlags struct {
	aws          awsclient.Options
	student      string
	alias        string
	trail        string
	bucketPrefix string
	since        string
	json         bool
}

func (a *App) newCheckCmd(run runFunc) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check [flags]",
		Short: "Grade a lab done by hand in the console, task by task",
		Long:  checkLong,
		Example: `  labctl check --region us-west-2
  labctl check --region us-west-2 --student arn:aws:iam::111122223333:user/AWSLabsUser-abc --json`,
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	fs := cmd.Flags()
	fs.StringVar(&f.aws.Profile, "profile", "", "AWS shared config `profile` (default: AWS_PROFILE or the default chain)")
	fs.StringVar(&f.aws.Region, "region", "", "AWS `region` of the lab (default: the profile's region)")
	fs.StringVar(&f.aws.EndpointURL, "endpoint-url", "", "AWS endpoint `URL` for an emulator; S3 is then addressed path-style")
	fs.StringVar(&f.student, "student", "", "the student's IAM user or role `ARN` (default: the caller; an assumed role counts as its role)")
	fs.StringVar(&f.alias, "alias", check.GuideAlias, "the key's alias `name`, without alias/")
	fs.StringVar(&f.trail, "trail", check.GuideTrail, "the trail's `name`")
	fs.StringVar(&f.bucketPrefix, "bucket-prefix", check.GuideBucketPrefix, "the trail bucket's name `prefix`")
	fs.StringVar(&f.since, "since", "", "oldest log record to read, `TIME` as for events (default: the key's creation)")
	fs.BoolVar(&f.json, "json", false, `print {"tasks": [...]} instead of the task list`)
	cmd.RunE = run(func(ctx context.Context, args []string) (int, error) { return a.check(ctx, &f, args) })
	return cmd
}

var (
	aliasNameRe = regexp.MustCompile(`^[A-Za-z0-9/_-]{1,250}$`)
)

// validate reports every bad flag value together.
func (f *checkFlags) validate(now time.Time) (time.Time, error) {
	var problems []string
	if f.student != "" && !iamarn.IsUserOrRole(f.student) {
		problems = append(problems, fmt.Sprintf("--student %q: use an IAM user or role ARN (arn:aws:iam::123456789012:user/NAME)", f.student))
	}
	if strings.HasPrefix(f.alias, "alias/") || !aliasNameRe.MatchString(f.alias) {
		problems = append(problems, fmt.Sprintf("--alias %q: give the alias name without alias/ (letters, digits, / _ -)", f.alias))
	}
	if f.trail == "" {
		problems = append(problems, `--trail "": give the trail's name`)
	}
	if f.bucketPrefix == "" || strings.ToLower(f.bucketPrefix) != f.bucketPrefix {
		problems = append(problems, fmt.Sprintf("--bucket-prefix %q: a non-empty, lowercase start of an S3 bucket name", f.bucketPrefix))
	}
	var since time.Time
	if f.since != "" {
		t, err := events.ParseTime(f.since, now)
		if err != nil {
			problems = append(problems, "--since: "+err.Error())
		}
		since = t
	}
	if len(problems) > 0 {
		return time.Time{}, usageError(strings.Join(problems, "; "))
	}
	return since, nil
}

func (a *App) check(ctx context.Context, f *checkFlags, positional []string) (int, error) {
	if len(positional) > 0 {
		return ExitError, usageError(fmt.Sprintf("check takes no arguments, got %s (see `labctl help check`)", strings.Join(positional, " ")))
	}
	since, err := f.validate(a.now())
	if err != nil {
		return ExitError, err
	}
	clients, err := awsclient.New(ctx, f.aws, "")
	if err != nil {
		return ExitError, err
	}
	if clients.Region == "" {
		return ExitError, usageError("no region: pass --region with the lab's region (the lab guide's LabRegion) or set one in the profile")
	}
	id, err := clients.WhoAmI(ctx)
	if err != nil {
		return ExitError, err
	}
	g := &check.Grader{
		Clients: clients, Identity: id, HTTP: verify.NewHTTPClient(), Now: a.Now,
		Options: check.Options{Student: f.student, Alias: f.alias, Trail: f.trail, BucketPrefix: f.bucketPrefix, Since: since},
	}
	report, err := g.Run(ctx)
	if err != nil {
		return ExitError, err
	}
	if f.json {
		err = check.WriteJSON(a.Stdout, report)
	} else {
		fmt.Fprintf(a.Stdout, "lab in account %s, %s, student %s\n", id.Account, clients.Region, check.Student(f.student, id))
		err = check.WriteText(a.Stdout, report)
	}
	if err != nil {
		return ExitError, fmt.Errorf("writing the report: %w", err)
	}
	return report.ExitCode(), nil
}
