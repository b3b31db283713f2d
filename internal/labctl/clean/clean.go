package clean

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/smithy-go"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// stackTag is the tag a Pulumi stack puts on what it owns; its value is the
// stack's name.
const stackTag = "kms-lab:stack"

// Cleaner cleans one account and region.
type Cleaner struct {
	Clients  *awsclient.Clients
	Identity awsclient.Identity
	Options  Options
	// Progress receives a line per batch while buckets are emptied
	// (stderr); nil prints nothing.
	Progress io.Writer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

func (c *Cleaner) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// step is one resource: what the report says, and how to remove it.
type step struct {
	Action
	remove func(ctx context.Context) (detail string, err error)
}

// Run finds the lab's resources and, with Options.Yes, removes them in an
// order no dependency can fail: trail, buckets, alias, key. A resource that
// cannot be removed is reported failed and the others are still removed.
func (c *Cleaner) Run(ctx context.Context) (*Report, error) {
	if err := c.Options.Validate(); err != nil {
		return nil, err
	}
	var steps []*step
	steps = append(steps, c.findTrail(ctx)...)
	steps = append(steps, c.findBuckets(ctx)...)
	steps = append(steps, c.findKey(ctx)...)

	r := &Report{DryRun: !c.Options.Yes}
	for _, s := range steps {
		if c.Options.Yes && s.Status == statusPlanned {
			detail, err := s.remove(ctx)
			if err != nil {
				s.Status, s.Detail = statusFailed, c.explain(err, s.Type+" "+s.Name).Error()
			} else {
				s.Status, s.Detail = statusDone, detail
			}
		}
		r.Actions = append(r.Actions, s.Action)
	}
	return r, nil
}

// target describes the account for awsclient.Explain.
func (c *Cleaner) target(what string) awsclient.Target {
	return awsclient.Target{What: what, Region: c.Clients.Region, Account: c.Identity.Account, Caller: c.Identity.ARN, Endpoint: c.Clients.Endpoint}
}

func (c *Cleaner) explain(err error, what string) error {
	return awsclient.Explain(err, c.target(what))
}

// readFailed is the step of a resource clean could not look at: never
// "not there", always an error for that resource. A refused read is an
// access error; a throttled or failed one says to retry.
func (c *Cleaner) readFailed(typ, name, what string, err error) *step {
	detail := c.explain(err, what).Error()
	kind := awsclient.Classify(err)
	denied := kind == awsclient.KindAccessDenied || kind == awsclient.KindBadCredentials
	if !denied && kind != awsclient.KindNotFound {
		detail += "; nothing was removed from it: run clean again later"
	}
	return &step{Action: Action{Type: typ, Name: name, Action: actionNone, Status: statusFailed, Detail: detail, denied: denied}}
}

// notFound says err is "it is not there".
func notFound(err error) bool { return awsclient.Classify(err) == awsclient.KindNotFound }

// errorCode is the AWS error code of err, "" when it has none.
func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// stackOwned is the step of a resource a Pulumi stack owns.
func stackOwned(typ, name, stack string) *step {
	return &step{Action: Action{Type: typ, Name: name, Action: actionKeep, Status: statusKept, stack: stack,
		Detail: fmt.Sprintf("tagged %s=%s: stack %s owns it; run `pulumi destroy --stack %s` so that its state stays right", stackTag, stack, stack, stack)}}
}

// day formats a date as KMS's deletion dates are read.
func day(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
