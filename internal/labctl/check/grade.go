package check

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
)

// The lab guide's names and values (../shared/lab/ "Introduction to AWS Key
// Management Service", tasks 1 and 2).
const (
	GuideAlias        = "myFirstKey"
	GuideTrail        = "myTrail"
	GuideBucketPrefix = "mycloudtrailbucket"
	GuideDescription  = "KMS Key for S3 data"
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
func Student(flag string, id awsclient.Identity) string {
	if flag != "" {
		return flag
	}
	return RoleOfSession(id.ARN)
}

// RoleOfSession maps arn:P:sts::A:assumed-role/R/S to arn:P:iam::A:role/R
// and returns any other ARN unchanged. (A role path is not in the session
// ARN; a student's role with a path needs --student.)
func RoleOfSession(arn string) string {
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
	n := names{student: Student(opts.Student, g.Identity), alias: opts.Alias, trail: opts.Trail,
		bucketPrefix: opts.BucketPrefix, description: GuideDescription}
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
		Target: target, Guide: &verify.Guide{Student: n.student, Description: GuideDescription, BucketPrefix: opts.BucketPrefix},
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
	for _, ch := range vr.Checks {
		for _, t := range taskOf[ch.Name] {
			add(t, grade(ch, n))
		}
	}
	logs := g.logChecks(ctx, o, found, n, target)
	for _, it := range logs {
		add(it.task, it.Item)
	}
	r.summarize()
	return r, nil
}
