package verify

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

// Verifier checks one lab account.
type Verifier struct {
	Outputs    *stackout.Outputs
	KMS        *kms.Client
	S3         *s3.Client
	CloudTrail *cloudtrail.Client
	// HTTP makes the anonymous GET. It must not follow redirects, so the
	// first answer is the one judged.
	HTTP *http.Client
	// Endpoint is the emulator endpoint, or "" for AWS. With one, the
	// anonymous GET goes to <endpoint>/<bucket>/<key> instead of the
	// outputs' virtual-hosted objectUrl.
	Endpoint string
	// Target fills in the region, account and caller of error messages.
	Target awsclient.Target
	// Guide, when set, grades by the lab guide's rules (labctl check)
	// instead of exactly by Outputs (labctl verify).
	Guide *Guide
}

// Group is one group of checks, about one of the lab's resources.
type Group int

// The check groups, in report order.
const (
	GroupKey Group = iota
	GroupBucket
	GroupTrail
	GroupObject
)

// allGroups is every group, in report order; each call returns a new slice.
func allGroups() []Group { return []Group{GroupKey, GroupBucket, GroupTrail, GroupObject} }

// NewHTTPClient is the client for the anonymous GET.
func NewHTTPClient() *http.Client {
	return &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Run performs every check. The four groups are independent and run
// concurrently; the report keeps a fixed order.
func (v *Verifier) Run(ctx context.Context) *Report {
	return v.RunGroups(ctx, allGroups()...)
}

// RunGroups performs the checks of the given groups, concurrently, and
// reports them in the order given. labctl check runs only the groups whose
// resource it found.
func (v *Verifier) RunGroups(ctx context.Context, which ...Group) *Report {
	all := map[Group]func(context.Context) []Check{
		GroupKey: v.keyChecks, GroupBucket: v.bucketChecks, GroupTrail: v.trailChecks, GroupObject: v.objectChecks,
	}
	groups := make([]func(context.Context) []Check, len(which))
	for i, g := range which {
		groups[i] = all[g]
	}
	results := make([][]Check, len(groups))
	var wg sync.WaitGroup
	for i, g := range groups {
		wg.Go(func() { results[i] = g(ctx) })
	}
	wg.Wait()
	r := &Report{}
	for _, cs := range results {
		r.Checks = append(r.Checks, cs...)
	}
	return r
}

// explain turns an API failure about what into the observed text.
func (v *Verifier) explain(err error, what string) string {
	t := v.Target
	t.What = what
	return awsclient.Explain(err, t).Error()
}

// apiFailed makes the check of a call about what that failed. Only "not
// found" is something seen in the account, so only it fails the check;
// a read that AWS denied, throttled, failed or left unanswered says
// nothing about the account and leaves the check unknown, with why and
// when to retry.
func (v *Verifier) apiFailed(name, expected string, err error, what string) Check {
	c := failed(name, expected, v.explain(err, what))
	if awsclient.Classify(err).ReadFailed() {
		c.Status = report.Unknown
	}
	return c
}

// objectURL is where the anonymous GET goes.
func (v *Verifier) objectURL() string {
	if v.Endpoint == "" {
		return v.Outputs.ObjectURL
	}
	return strings.TrimSuffix(v.Endpoint, "/") + "/" + url.PathEscape(v.Outputs.BucketName) + "/" + escapeKey(v.Outputs.ObjectKey)
}

func escapeKey(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}
