package account

import (
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// State is what became of one read.
type State string

// The states of a Field.
const (
	// NotRead: the command did not ask for it.
	NotRead State = ""
	// Read: AWS answered with the value.
	Read State = "read"
	// NotFound: AWS answered that it is not there (no such key, no bucket
	// policy, no Insights). An answer about the account, so a value.
	NotFound State = "not-found"
	// Failed: no answer about the account (Error says why).
	Failed State = "failed"
)

// Field is one value read from AWS: the value, "not found", or a read
// error.
type Field[T any] struct {
	State State      `json:"state,omitempty"`
	Value T          `json:"value,omitzero"`
	Error *ReadError `json:"error,omitempty"`
}

// ErrorKind sorts read errors by what the user does about them.
type ErrorKind string

// The kinds of read error.
const (
	Throttled      ErrorKind = "throttled"       // retry in a minute
	Denied         ErrorKind = "denied"          // grant the permission, or use another profile
	Timeout        ErrorKind = "timeout"         // retry in a few minutes
	Unsupported    ErrorKind = "unsupported"     // the endpoint lacks the call
	ServerError    ErrorKind = "server-error"    // retry in a few minutes
	Unreachable    ErrorKind = "unreachable"     // check the network or the endpoint
	BadCredentials ErrorKind = "bad-credentials" // refresh them
	WrongRegion    ErrorKind = "wrong-region"    // the resource is in another region
	OtherError     ErrorKind = "other"
)

// ReadError is a read that got no answer about the account.
type ReadError struct {
	Kind ErrorKind `json:"kind"`
	// Message is the one line a user reads: what was read, what went
	// wrong, and why and when to retry.
	Message string    `json:"message"`
	At      time.Time `json:"at,omitzero"`
}

// Value is a field read with v.
func Value[T any](v T) Field[T] { return Field[T]{State: Read, Value: v} }

// Absent is a field AWS answered "not found" for.
func Absent[T any]() Field[T] { return Field[T]{State: NotFound} }

// FailedWith is a field whose read failed with e.
func FailedWith[T any](e *ReadError) Field[T] { return Field[T]{State: Failed, Error: e} }

// OK reports whether the value was read.
func (f Field[T]) OK() bool { return f.State == Read }

// Missing reports whether AWS answered "not found".
func (f Field[T]) Missing() bool { return f.State == NotFound }

// Failed reports whether the read got no answer about the account.
func (f Field[T]) Failed() bool { return f.State == Failed }

// FromError makes the field of a read that returned err: "not found" is a
// value, anything else a ReadError explained for t.
func FromError[T any](err error, t awsclient.Target, at time.Time) Field[T] {
	if awsclient.Classify(err) == awsclient.KindNotFound {
		return Absent[T]()
	}
	return FailedWith[T](NewReadError(err, t, at))
}

// NewReadError classifies err and words it for t.
func NewReadError(err error, t awsclient.Target, at time.Time) *ReadError {
	return &ReadError{Kind: kindOf(awsclient.Classify(err)), Message: awsclient.Explain(err, t).Error(), At: at}
}

func kindOf(k awsclient.Kind) ErrorKind {
	switch k {
	case awsclient.KindThrottled:
		return Throttled
	case awsclient.KindAccessDenied:
		return Denied
	case awsclient.KindTimeout:
		return Timeout
	case awsclient.KindUnsupported:
		return Unsupported
	case awsclient.KindServerError:
		return ServerError
	case awsclient.KindUnreachable:
		return Unreachable
	case awsclient.KindBadCredentials:
		return BadCredentials
	case awsclient.KindWrongRegion:
		return WrongRegion
	}
	return OtherError
}

// LabTrail is the trail named name that the snapshot's region sees: the one
// homed there, else a multi-region trail homed elsewhere; nil when there
// is none or the trails were not read.
func (s *Snapshot) LabTrail() *Trail {
	if !s.Trails.OK() {
		return nil
	}
	var shadow *Trail
	for i := range s.Trails.Value {
		t := &s.Trails.Value[i]
		if t.Name != s.Names.Trail {
			continue
		}
		if t.HomeRegion == "" || t.HomeRegion == s.Taken.Region {
			return t
		}
		if shadow == nil && t.MultiRegion {
			shadow = t
		}
	}
	return shadow
}

// Bucket is the bucket read in detail under name, nil when it was not.
func (s *Snapshot) Bucket(name string) *Bucket {
	for i := range s.Buckets {
		if s.Buckets[i].Name == name {
			return &s.Buckets[i]
		}
	}
	return nil
}
