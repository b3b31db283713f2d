package verify

import (
	"fmt"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

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

// Reads are what verify judges, and so what its observer reads: not the
// log window.
func Reads() account.Reads { return account.Reads{KeyRotation: true, BucketEncryption: true} }

// GuideReads are what labctl check's use of verify judges: the guide
// leaves rotation and default encryption at the console's defaults.
func GuideReads() account.Reads { return account.Reads{} }

// Names are what the observer looks for, for a deployed lab: the outputs
// name the key, the bucket and the image exactly.
func Names(o *stackout.Outputs) account.Names {
	return account.Names{Alias: o.KeyAlias, Trail: o.TrailName, KeyID: o.KeyID, Bucket: o.BucketName,
		ObjectKey: o.ObjectKey, ObjectURL: o.ObjectURL}
}

// Judge grades a snapshot: against the stack's outputs (g nil, labctl
// verify) or the lab guide (labctl check). It is a pure function of its
// arguments, and reports the groups asked for (every group when none is
// given) in the order given.
func Judge(s *account.Snapshot, o *stackout.Outputs, g *Guide, which ...Group) *Report {
	if len(which) == 0 {
		which = allGroups()
	}
	j := judge{s: s, o: o, guide: g}
	r := &Report{}
	for _, grp := range which {
		switch grp {
		case GroupKey:
			r.Checks = append(r.Checks, j.keyChecks()...)
		case GroupBucket:
			r.Checks = append(r.Checks, j.bucketChecks()...)
		case GroupTrail:
			r.Checks = append(r.Checks, j.trailChecks()...)
		case GroupObject:
			r.Checks = append(r.Checks, j.objectChecks()...)
		}
	}
	return r
}

// judge is one grading of a snapshot.
type judge struct {
	s     *account.Snapshot
	o     *stackout.Outputs
	guide *Guide
}

// unread is the one place where a read that got no answer becomes a
// check: unknown, never fail, with the read error's message, which says
// why and when to retry. A snapshot taken by a command that did not ask
// for the field is unknown too.
func unread(name, expected string, e *account.ReadError) Check {
	observed := "not read"
	if e != nil {
		observed = e.Message
	}
	return Check{Name: name, Status: report.Unknown, Expected: expected, Observed: observed}
}

// notFound fails a check of something AWS answered is not there, worded
// as verify always has.
func (j judge) notFound(name, expected, what string) Check {
	return failed(name, expected, fmt.Sprintf("%s not found (account %s, %s): check that the outputs belong to this account and region (`pulumi stack select`), or run `pulumi up`",
		what, j.s.Taken.Account, j.s.Taken.Region))
}

// field is a check of f: unknown when the read failed or was not made,
// absent's check when AWS answered "not found", else judge's.
func field[T any](f account.Field[T], name, expected string, absent func() Check, judge func(T) Check) Check {
	switch f.State {
	case account.Read:
		return judge(f.Value)
	case account.NotFound:
		return absent()
	}
	return unread(name, expected, f.Error)
}
