package preflight

import (
	"fmt"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/report"
)

// taken is a resource already holding one of the stack's names, as a name
// check saw it. The program tags every taggable resource
// kms-lab:stack=<stack> (internal/labstack), so the tag says which stack
// made it; an alias has no tags of its own, and speaks through the key it
// points to.
type taken struct {
	// Check is the check's name, e.g. alias-name.
	Check string
	// Seen is what holds the name and where, as a sentence's subject:
	// "alias/myFirstKey already exists in us-west-2 (key 1234abcd-...)".
	Seen string
	// Tagged is the resource's kms-lab:stack tag, "" when it has none.
	Tagged string
	// TagErr is why the tag could not be read (already explained: what,
	// why and when to retry); Tagged is then meaningless.
	TagErr error
	// Refusal is what `pulumi up` would answer on creating it again, e.g.
	// "AlreadyExistsException".
	Refusal string
	// Adopt is the `pulumi import` that adopts it, with what that does
	// ("Adopt it: `pulumi import ...`").
	Adopt string
	// Rename is the setting that gives the stack another name.
	Rename string
}

// ownership is who holds a name, by the kms-lab:stack tag.
type ownership int

const (
	// unreadable: the tag could not be read, so nobody knows.
	unreadable ownership = iota
	// thisStack: the stack's own resource, from an earlier deploy.
	thisStack
	// otherStack: another stack's resource.
	otherStack
	// untagged: made outside any stack (by hand, typically).
	untagged
)

// ownerOf decides who holds a name from the tag the program sets.
func ownerOf(stack string, t taken) ownership {
	switch {
	case t.TagErr != nil:
		return unreadable
	case t.Tagged == "":
		return untagged
	case t.Tagged == stack:
		return thisStack
	default:
		return otherStack
	}
}

// nameCheck is a name check's verdict on a name that is already taken. A
// stack's second deploy finds its own resources under its names, and
// `pulumi up` updates them in place: that passes. Another stack's resource
// cannot be shared, nor adopted without taking it from that stack: the fix
// is another name. An untagged one was made by hand: adopt it or rename.
// A tag that could not be read judges nothing: unknown.
func nameCheck(stack string, t taken) Check {
	c := Check{Name: t.Check}
	tag := fmt.Sprintf("%s=%s", config.StackTagKey, t.Tagged)
	switch ownerOf(stack, t) {
	case thisStack:
		c.Status = report.Pass
		c.Detail = fmt.Sprintf("%s, tagged %s: owned by this stack, which pulumi up updates in place", t.Seen, tag)
	case otherStack:
		c.Status = report.Fail
		c.Detail = fmt.Sprintf("%s, owned by stack %s (tagged %s); pulumi up would fail with %s, and two stacks cannot share it: choose another name: %s",
			t.Seen, t.Tagged, tag, t.Refusal, t.Rename)
	case untagged:
		c.Status = report.Fail
		c.Detail = fmt.Sprintf("%s, made outside this stack (no %s tag); pulumi up would fail with %s. %s; or choose another name: %s",
			t.Seen, config.StackTagKey, t.Refusal, t.Adopt, t.Rename)
	default:
		c.Status = report.Unknown
		c.Detail = fmt.Sprintf("%s, and its %s tag, which says whether this stack made it, could not be read: %v",
			t.Seen, config.StackTagKey, t.TagErr)
	}
	return c
}
