package check

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/iamarn"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
)

// The lab guide's names and values (../shared/lab/ "Introduction to AWS Key
// Management Service", tasks 1 and 2).
const (
	GuideAlias        = "myFirstKey"
	GuideTrail        = "myTrail"
	GuideBucketPrefix = "mycloudtrailbucket"
	guideDescription  = "KMS Key for S3 data"
)

// guideInsights are the two Insights types of task 2, step 9.
var guideInsights = []string{"ApiCallRateInsight", "ApiErrorRateInsight"}

// Options are labctl check's flags.
type Options struct {
	Student      string    // IAM user or role ARN; "" means the caller (an assumed role maps to its role)
	Alias        string    // without "alias/"
	Trail        string    // trail name
	BucketPrefix string    // start of the trail bucket's name
	Since        time.Time // oldest log record to read; zero means from the key's creation
}

// names are what the hints and checks call things.
type names struct {
	student, alias, trail, bucketPrefix, description string
}

// Grader grades one account.
type Grader struct {
	Clients  *awsclient.Clients
	Identity awsclient.Identity
	HTTP     *http.Client
	Options  Options
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (g *Grader) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}

// Student resolves --student: the caller by default, an assumed-role
// session mapped to its role, since a key policy names roles, not sessions.
// It does not check that the caller can be a student; resolveStudent does.
func Student(flag string, id awsclient.Identity) string {
	if flag != "" {
		return flag
	}
	return roleOfSession(id.ARN)
}

// resolveStudent is Student, refusing a default that is not an IAM user or
// role: a key policy can only name those as key administrators and users,
// so grading the account's root user, a federated user or an emulator's
// made-up caller would grade a principal the student never picked. The
// error is a flag error (exit 2) that asks for --student.
func resolveStudent(flag string, id awsclient.Identity) (string, error) {
	if flag != "" {
		return flag, nil
	}
	student := roleOfSession(id.ARN)
	p, err := iamarn.Parse(student)
	if err == nil && (p.Kind == iamarn.User || p.Kind == iamarn.Role) {
		return student, nil
	}
	what := "not an IAM user or role"
	switch {
	case err == nil && p.Kind == iamarn.Root:
		what = "the account's root user, not an IAM user or role"
	case strings.Contains(id.ARN, ":federated-user/"):
		what = "a federated user, not an IAM user or role"
	}
	return "", cmdutil.FlagErrorf("--student is required: the caller %s is %s, so it cannot be the student the key policy names; "+
		"pass --student with the student's IAM user or role ARN (arn:%s:iam::%s:user/AWSLabsUser-NAME)",
		id.ARN, what, partitionOf(id.ARN), id.Account)
}

// roleOfSession maps arn:P:sts::A:assumed-role/R/S to arn:P:iam::A:role/R
// and returns any other ARN unchanged. (A role path is not in the session
// ARN; a student's role with a path needs --student.)
func roleOfSession(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[2] != "sts" || !strings.HasPrefix(parts[5], "assumed-role/") {
		return arn
	}
	role := strings.SplitN(strings.TrimPrefix(parts[5], "assumed-role/"), "/", 2)[0]
	return fmt.Sprintf("arn:%s:iam::%s:role/%s", parts[1], parts[4], role)
}

func partitionOf(arn string) string {
	if parts := strings.SplitN(arn, ":", 3); len(parts) == 3 && parts[1] != "" {
		return parts[1]
	}
	return "aws"
}

// Run grades the six tasks. It returns an error only for what stops any
// grading; a missing resource or a denied call is a task's grade.
func (g *Grader) Run(ctx context.Context) (*Report, error) {
	opts := g.Options
	student, err := resolveStudent(opts.Student, g.Identity)
	if err != nil {
		return nil, err
	}
	n := names{student: student, alias: opts.Alias, trail: opts.Trail,
		bucketPrefix: opts.BucketPrefix, description: guideDescription}
	c := g.Clients
	target := awsclient.Target{Region: c.Region, Account: g.Identity.Account, Caller: g.Identity.ARN, Endpoint: c.Endpoint}
	o := &stackout.Outputs{
		AccountID: g.Identity.Account, Region: c.Region, Partition: partitionOf(g.Identity.ARN),
		KeyAlias: "alias/" + opts.Alias, KeyAdministrators: []string{n.student}, KeyUsers: []string{n.student},
		ObjectOwnership: "BucketOwnerPreferred", PublicObjectACL: true,
		TrailName: opts.Trail, DataEvents: true, InsightTypes: guideInsights,
	}
	found := g.discover(ctx, o, n, target)

	v := &verify.Verifier{
		Outputs: o, KMS: c.KMS, S3: c.S3, CloudTrail: c.CloudTrail, HTTP: g.HTTP, Endpoint: c.Endpoint,
		Target: target, Guide: &verify.Guide{Student: n.student, Description: guideDescription, BucketPrefix: opts.BucketPrefix},
	}
	var groups []verify.Group
	if found.key {
		groups = append(groups, verify.GroupKey)
	}
	if found.bucket {
		groups = append(groups, verify.GroupBucket)
	}
	if found.trail {
		groups = append(groups, verify.GroupTrail)
	}
	if found.object {
		groups = append(groups, verify.GroupObject)
	}
	vr := v.RunGroups(ctx, groups...)

	r := &Report{}
	for t := 1; t <= 6; t++ {
		r.Tasks = append(r.Tasks, Task{Task: t, Title: Title(t), Checks: []Item{}})
	}
	add := func(task int, it Item) { r.Tasks[task-1].Checks = append(r.Tasks[task-1].Checks, it) }
	for _, it := range found.items {
		add(it.task, it.Item)
	}
	logs, history := g.logChecks(ctx, o, found, n, target)
	s := seenOf(vr.Checks)
	for _, ch := range vr.Checks {
		for _, t := range taskOf[ch.Name] {
			if t == 1 && keyUserChecks[ch.Name] {
				add(t, gradeKeyUserTask1(ch, n, s, history, o))
				continue
			}
			add(t, grade(ch, n, s))
		}
	}
	for _, it := range logs {
		add(it.task, it.Item)
	}
	r.summarize()
	return r, nil
}
