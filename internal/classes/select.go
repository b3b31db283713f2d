package classes

import (
	"fmt"
	"time"
)

// Purposes a workflow selects stacks for.
const (
	Preview           = "preview"
	Deploy            = "deploy"
	Teardown          = "teardown"
	ScheduledTeardown = "scheduled-teardown"
	Drift             = "drift"
	ScheduledDrift    = "scheduled-drift"
)

// Purposes lists every purpose, for the usage text; each call returns a
// new slice.
func Purposes() []string {
	return []string{Preview, Deploy, Teardown, ScheduledTeardown, Drift, ScheduledDrift}
}

// Request is what a workflow run asks for.
type Request struct {
	Purpose string
	// Class is one class name; "" or "all" means every class the purpose selects.
	Class string
	// Stack narrows the selection to one stack of the selected classes.
	Stack string
	// Confirm must repeat Class for a teardown.
	Confirm string
	Now     time.Time
	// TeardownWindow: a scheduled teardown takes classes whose endsAt passed
	// less than this long ago, so later runs leave them alone.
	TeardownWindow time.Duration
}

// Entry is one job of a matrix: one stack of one class.
type Entry struct {
	Class   string `json:"class"`
	Stack   string `json:"stack"`
	Account string `json:"account"`
	Region  string `json:"region"`
}

// Select returns the stacks the request acts on, in class-file order.
func (r Repo) Select(req Request) ([]Entry, error) {
	class := req.Class
	if class == "all" {
		class = ""
	}
	known := false
	for _, p := range Purposes() {
		known = known || p == req.Purpose
	}
	if !known {
		return nil, fmt.Errorf("purpose %q: must be one of %v", req.Purpose, Purposes())
	}
	if req.Purpose == Teardown {
		if class == "" {
			return nil, fmt.Errorf("teardown needs a class: choose one, \"all\" is not allowed")
		}
		if req.Confirm != class {
			return nil, fmt.Errorf("confirm %q: type the class name %q into confirm to tear it down", req.Confirm, class)
		}
	}
	if class != "" {
		c, ok := r.ClassByName(class)
		if !ok {
			return nil, fmt.Errorf("class %q: no class file %s", class, classFilePath(class))
		}
		if c.Mode == ByHand && req.Purpose != Teardown {
			return nil, fmt.Errorf("class %q is mode: %s in %s: its students build the lab in the console, so there is nothing to %s; "+
				"grade it with labctl class status, or set mode: %s to deploy it", class, ByHand, c.File, req.Purpose, Deployed)
		}
	}
	now := req.Now
	var out []Entry
	for _, c := range r.Classes {
		if !wanted(c, req.Purpose, class, now, req.TeardownWindow) {
			continue
		}
		for _, s := range c.Stacks {
			if req.Stack != "" && s != req.Stack {
				continue
			}
			st := r.Stacks[s]
			out = append(out, Entry{Class: c.Name, Stack: s, Account: st.Account, Region: st.Region})
		}
	}
	if req.Stack != "" && len(out) == 0 {
		scope := "any class"
		if class != "" {
			scope = "class " + class
		}
		return nil, fmt.Errorf("stack %q is not in %s that %s selects (enabled, and within the class's dates)", req.Stack, scope, req.Purpose)
	}
	return out, nil
}

func wanted(c Class, purpose, class string, now time.Time, window time.Duration) bool {
	if c.Mode == ByHand && purpose != Teardown {
		// Nothing of a by-hand class is deployed: there is nothing to
		// preview, deploy, check for drift or tear down on a schedule.
		return false
	}
	started := c.StartsAt.IsZero() || !now.Before(c.StartsAt)
	ended := !c.EndsAt.IsZero() && !now.Before(c.EndsAt)
	chosen := class == "" || c.Name == class
	switch purpose {
	case Teardown:
		// A manual teardown works on a disabled or ended class too.
		return c.Name == class
	case ScheduledTeardown:
		return c.Enabled && ended && now.Sub(c.EndsAt) < window
	case ScheduledDrift:
		// Only while the class runs: both dates set, now between them.
		return c.Enabled && !c.StartsAt.IsZero() && !c.EndsAt.IsZero() && started && !ended
	case Drift:
		if class != "" {
			return c.Name == class // by hand, one class: whatever its dates
		}
		return c.Enabled && started && !ended
	default: // preview, deploy
		return c.Enabled && !ended && chosen
	}
}
