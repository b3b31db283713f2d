package clean

import (
	"context"
	"io"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/clean/plan"
)

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

// Run reads the account (observe), decides what of it is the lab's
// (plan.Plan, from the snapshot alone) and, with Options.Yes, acts on that
// plan in an order no dependency can fail: trail, buckets, alias, key. A
// resource that cannot be removed is reported failed and the others are
// still removed.
func (c *Cleaner) Run(ctx context.Context) (*Report, error) {
	if err := c.Options.Validate(); err != nil {
		return nil, err
	}
	snap := c.observe(ctx)
	steps := plan.Plan(snap, c.Options.names(), c.now())
	r := &Report{DryRun: !c.Options.Yes}
	for _, s := range steps {
		if c.Options.Yes && s.Status == statusPlanned {
			detail, err := c.apply(ctx, s.Op)
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
