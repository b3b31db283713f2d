package check

import (
	"fmt"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/iamarn"
	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
	"github.com/kms-lab/kms-lab/internal/labnames"
	"github.com/kms-lab/kms-lab/internal/report"
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
	// image is the object tasks 3 and 4 judged, and why it was chosen
	// among several ("" when there was no choice).
	image, chosen string
}

// Reads are what check judges, and so what its observer reads: the
// guide's reads of verify plus the log window.
func Reads() account.Reads {
	r := verify.GuideReads()
	r.Logs = true
	return r
}

// Names are what the observer looks for: the guide's names, as the options
// give them, and the student the key policy must name.
func (o Options) Names(student string) account.Names {
	return account.Names{Alias: "alias/" + o.Alias, Trail: o.Trail, BucketPrefix: o.BucketPrefix, Student: student}
}

// Student resolves --student: the caller by default, an assumed-role
// session mapped to its role, since a key policy names roles, not sessions.
// It does not check that the caller can be a student; ResolveStudent does.
func Student(flag, caller string) string {
	if flag != "" {
		return flag
	}
	return roleOfSession(caller)
}

// StudentError is a default student that cannot be one: the caller is not
// an IAM user or role. The command asks for --student.
type StudentError struct {
	Caller    string // the caller's ARN
	Is        string // what the caller is, e.g. "the account's root user, not an IAM user or role"
	Partition string
	Account   string
}

func (e *StudentError) Error() string {
	return fmt.Sprintf("the caller %s is %s, so it cannot be the student the key policy names", e.Caller, e.Is)
}

// ResolveStudent is Student, refusing a default that is not an IAM user or
// role: a key policy can only name those as key administrators and users,
// so grading the account's root user, a federated user or an emulator's
// made-up caller would grade a principal the student never picked.
func ResolveStudent(flag, caller, account string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	student := roleOfSession(caller)
	p, err := iamarn.Parse(student)
	if err == nil && (p.Kind == iamarn.User || p.Kind == iamarn.Role) {
		return student, nil
	}
	what := "not an IAM user or role"
	switch {
	case err == nil && p.Kind == iamarn.Root:
		what = "the account's root user, not an IAM user or role"
	case strings.Contains(caller, ":federated-user/"):
		what = "a federated user, not an IAM user or role"
	}
	return "", &StudentError{Caller: caller, Is: what, Partition: partitionOf(caller), Account: account}
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

// Grade grades the six tasks of the lab in s, as of now. It is a pure
// function of the snapshot: s.Names.Student is the student (resolved
// before observing), and a read that failed in s makes the tasks that need
// it unknown, never fail.
func Grade(s *account.Snapshot, opts Options, now time.Time) *Report {
	student := s.Names.Student
	n := names{student: student, alias: opts.Alias, trail: opts.Trail,
		bucketPrefix: opts.BucketPrefix, description: labnames.GuideKeyDescription}
	o := &stackout.Outputs{
		AccountID: s.Taken.Account, Region: s.Taken.Region, Partition: s.Taken.Partition,
		KeyAlias: "alias/" + opts.Alias, KeyAdministrators: []string{n.student}, KeyUsers: []string{n.student},
		ObjectOwnership: "BucketOwnerPreferred", PublicObjectACL: true,
		TrailName: opts.Trail, DataEvents: true, InsightTypes: guideInsights,
	}
	found := discover(s, o, n)
	if found.object {
		n.image, n.chosen = "s3://"+o.BucketName+"/"+o.ObjectKey, s.Image.Chosen
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
	var vr *verify.Report
	if len(groups) > 0 {
		vr = verify.Judge(s, o, &verify.Guide{Student: n.student, Description: labnames.GuideKeyDescription, BucketPrefix: opts.BucketPrefix}, groups...)
	} else {
		vr = &verify.Report{}
	}

	r := newReport()
	for _, it := range found.items {
		r.add(it)
	}
	logs, history := logChecks(s, o, found, n, now)
	vr.Checks = withoutKey(vr.Checks, found)
	seen := seenOf(vr.Checks)
	for _, ch := range vr.Checks {
		tasks := taskOf[ch.Name]
		if ch.Name == "key.policy" && ch.Status == report.Unknown {
			// Task 6 leaves the student a key user: an unread policy leaves
			// it unknown too.
			tasks = []int{1, 6}
		}
		for _, t := range tasks {
			var c report.Check
			if t == 1 && keyUserChecks[ch.Name] {
				c = gradeKeyUserTask1(ch, n, seen, history, o)
			} else {
				c = grade(ch, n, seen)
			}
			// verify's unknowns are reads that failed: nothing was seen.
			r.add(taskItem{task: t, Check: c, unread: true})
		}
	}
	for _, it := range logs {
		r.add(it)
	}
	r.summarize()
	return r
}

// withoutKey adjusts the object's encryption check when task 1's key was
// not found or not read: there is no key to compare the image's with. An
// image encrypted with some KMS key cannot be told apart from one encrypted
// with the lab's, so the check is unknown (key unread) or left to task 3's
// key.found (no key); any other encryption fails as before.
func withoutKey(checks []verify.Check, found discovery) []verify.Check {
	if found.key {
		return checks
	}
	out := checks[:0:0]
	for _, c := range checks {
		if c.Name == "object.encryption" && c.Cause == verify.CauseOtherKMSKey {
			if !found.keyUnread {
				continue
			}
			c.Status, c.Cause = report.Unknown, ""
			c.Observed += "; the lab's key could not be read (see task 1) to compare it with: retry in a minute"
		}
		out = append(out, c)
	}
	return out
}
