package plan

import "fmt"

// Resource types, in the order clean removes them.
const (
	TypeTrail  = "trail"
	TypeBucket = "bucket"
	TypeAlias  = "alias"
	TypeKey    = "key"
)

// Statuses of an action.
const (
	StatusPlanned = "planned" // a dry run would do it
	StatusDone    = "done"    // done, or nothing was left to do
	StatusFailed  = "failed"  // could not be read or removed: it may be left
	StatusKept    = "kept"    // left on purpose; detail says why
)

// Actions.
const (
	ActionDelete           = "delete"
	ActionEmptyAndDelete   = "empty and delete"
	ActionScheduleDeletion = "schedule deletion"
	ActionKeep             = "keep"
	ActionNone             = "none"
)

// StackTag is the tag a Pulumi stack puts on what it owns; its value is the
// stack's name.
const StackTag = "kms-lab:stack"

// Action is one resource and what clean did or would do with it.
type Action struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	Action string `json:"action"`
	Status string `json:"status"`
	Detail string `json:"detail"`

	// Stack is the kms-lab:stack tag's value: the stack that owns it.
	Stack string `json:"-"`
	// Denied says a read that decides what is there was refused, which
	// is an access error (exit code 2), not a removal that failed.
	Denied bool `json:"-"`
}

// Op is what --yes does to a planned resource; the zero Op does nothing.
type Op struct {
	// Kind is one of the Op* kinds.
	Kind string
	// Name is the trail's name, the bucket's, the alias's or the key's ID.
	Name string
	// Region is where the call goes: the trail's home region, the
	// bucket's region ("" for the account's region).
	Region string
	// Key is the key an alias points to.
	Key string
	// Days is the key's deletion window.
	Days int
	// Expected is how many object versions and delete markers the bucket
	// held when read, for the progress lines.
	Expected int
}

// The kinds of Op.
const (
	OpDeleteTrail          = "delete trail"
	OpEmptyAndDeleteBucket = "empty and delete bucket"
	OpDeleteAlias          = "delete alias"
	OpScheduleKeyDeletion  = "schedule key deletion"
)

// Step is one resource of the plan: the report's line, and what --yes does.
type Step struct {
	Action
	Op Op
}

// failed is the step of a resource clean could not look at: never
// "not there", always an error for that resource. A refused read is an
// access error; any other says to retry.
func failed(typ, name string, e *ReadError) Step {
	detail := e.Why
	if !e.Denied {
		detail += "; nothing was removed from it: run clean again later"
	}
	return Step{Action: Action{Type: typ, Name: name, Action: ActionNone, Status: StatusFailed, Detail: detail, Denied: e.Denied}}
}

// kept is the step of a resource that is not the lab's, or not only.
func kept(typ, name, why string) Step {
	return Step{Action: Action{Type: typ, Name: name, Action: ActionKeep, Status: StatusKept, Detail: why}}
}

// stackOwned is the step of a resource a Pulumi stack owns.
func stackOwned(typ, name, stack string) Step {
	return Step{Action: Action{Type: typ, Name: name, Action: ActionKeep, Status: StatusKept, Stack: stack,
		Detail: fmt.Sprintf("tagged %s=%s: stack %s owns it; run `pulumi destroy --stack %s` so that its state stays right", StackTag, stack, stack, stack)}}
}
