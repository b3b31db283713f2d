package plan

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Names are what the lab guide calls the lab's resources, and the key's
// deletion window.
type Names struct {
	Alias           string // alias/myFirstKey
	Trail           string
	BucketPrefix    string
	KeyDeletionDays int
}

// Plan decides, for every resource clean looked at, whether it is the
// lab's and what to do with it, in the order clean removes them: the
// trails, the buckets by name, the alias, the key. Only what the snapshot
// proves is the lab's is planned; everything else is kept with the reason,
// and a resource whose read failed is failed, never removed and never
// taken for absent. now dates the key's deletion.
func Plan(a Account, n Names, now time.Time) []Step {
	steps := trailSteps(a, n)
	steps = append(steps, bucketSteps(a, n)...)
	return append(steps, keySteps(a, n, now)...)
}

// trailSteps: a trail is the lab's only if it carries the guide's name and
// is not an organization trail (an organization's trail shows in every
// member account, and only its management account may delete it), and no
// stack owns it.
func trailSteps(a Account, n Names) []Step {
	if a.TrailsErr != nil {
		return []Step{failed(TypeTrail, n.Trail, a.TrailsErr)}
	}
	var found []Trail
	for _, t := range a.Trails {
		if t.Name == n.Trail {
			found = append(found, t)
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].ARN < found[j].ARN })
	var steps []Step
	for _, t := range found {
		steps = append(steps, trailStep(a, t))
	}
	return steps
}

func trailStep(a Account, t Trail) Step {
	home := t.HomeRegion
	if home == "" {
		home = a.Region
	}
	switch {
	case t.Organization:
		return kept(TypeTrail, t.Name, fmt.Sprintf("%s is an organization trail: it belongs to the organization's management account, not the lab", t.ARN))
	case t.TagsErr != nil:
		return failed(TypeTrail, t.Name, t.TagsErr)
	case t.Tags[StackTag] != "":
		return stackOwned(TypeTrail, t.Name, t.Tags[StackTag])
	}
	s := Step{Action: Action{Type: TypeTrail, Name: t.Name, Action: ActionDelete, Status: StatusPlanned},
		Op: Op{Kind: OpDeleteTrail, Name: t.Name, Region: home}}
	s.Detail = fmt.Sprintf("home region %s, writes to s3://%s; %s", home, t.Bucket, trailEvents(t))
	return s
}

// trailEvents describes what the trail logs and its cost; a failed read
// is said, and does not stop the deletion.
func trailEvents(t Trail) string {
	switch {
	case t.EventsErr != nil:
		return "its event selectors could not be read: " + t.EventsErr.Why
	case t.Events == nil:
		return "what it logs was not read"
	case t.Events.InsightsErr != nil:
		return trailCost(t.Events.Selectors, t.Events.Advanced, nil) + "; its Insights selectors could not be read: " + t.Events.InsightsErr.Why
	}
	return trailCost(t.Events.Selectors, t.Events.Advanced, t.Events.Insights)
}

// bucketSteps: a bucket is the lab's only if its name starts with the
// prefix, no stack tags it, and no trail other than the lab's logs to it,
// in any region, organization trails included; the bucket's own policy is
// evidence too, since CloudTrail's statements name in aws:SourceArn the
// trails that may write to it.
func bucketSteps(a Account, n Names) []Step {
	if a.BucketsErr != nil {
		return []Step{failed(TypeBucket, n.BucketPrefix+"*", a.BucketsErr)}
	}
	// The lab's trails are the ones planned for deletion: a trail with the
	// lab's name that a stack owns, or whose tags could not be read, is
	// not known to be the lab's.
	lab := map[string]bool{}
	for _, t := range a.Trails {
		if t.Name == n.Trail && trailStep(a, t).Op.Kind == OpDeleteTrail {
			lab[t.ARN] = true
		}
	}
	bs := append([]Bucket(nil), a.Buckets...)
	sort.Slice(bs, func(i, j int) bool { return bs[i].Name < bs[j].Name })
	var steps []Step
	for _, b := range bs {
		if b.Gone || !strings.HasPrefix(b.Name, n.BucketPrefix) {
			continue
		}
		steps = append(steps, bucketStep(a, n, b, lab))
	}
	return steps
}

func bucketStep(a Account, n Names, b Bucket, lab map[string]bool) Step {
	switch {
	case b.TagsErr != nil:
		return failed(TypeBucket, b.Name, b.TagsErr)
	case b.Tags[StackTag] != "":
		return stackOwned(TypeBucket, b.Name, b.Tags[StackTag])
	case a.TrailsErr != nil:
		return failed(TypeBucket, b.Name, &ReadError{Why: "the account's trails could not be read, so whether another trail logs to it is not known: " + a.TrailsErr.Why, Denied: a.TrailsErr.Denied})
	}
	var others []string
	var unknown *Trail
	for _, t := range a.Trails {
		switch {
		case t.Bucket != b.Name || lab[t.ARN]:
		case t.Name == n.Trail && !t.Organization && t.TagsErr != nil:
			// Whether this trail is the lab's is not known, so neither is
			// whether the bucket is only the lab's.
			unknown = &t
		default:
			others = append(others, otherTrail(t))
		}
	}
	if len(others) > 0 {
		sort.Strings(others)
		return kept(TypeBucket, b.Name, fmt.Sprintf("%s logs to it, so it is not only the lab's", strings.Join(others, ", ")))
	}
	if unknown != nil {
		return failed(TypeBucket, b.Name, &ReadError{Why: fmt.Sprintf("trail %s logs to it, and whether that trail is the lab's is not known: %s",
			unknown.ARN, unknown.TagsErr.Why), Denied: unknown.TagsErr.Denied})
	}
	if a.ElsewhereErr != nil {
		return failed(TypeBucket, b.Name, &ReadError{Why: "the trails of other regions could not be read, so whether one logs to it is not known: " + a.ElsewhereErr.Why, Denied: a.ElsewhereErr.Denied})
	}
	if b.PolicyErr != nil {
		return failed(TypeBucket, b.Name, b.PolicyErr)
	}
	writers, err := cloudTrailWriters(b.Policy)
	if err != nil {
		return failed(TypeBucket, b.Name, &ReadError{Why: "its bucket policy could not be read as a policy: " + err.Error()})
	}
	var foreign []string
	for _, w := range writers {
		if !labTrailARN(w, a.ID, n.Trail) {
			foreign = append(foreign, w)
		}
	}
	if len(foreign) > 0 {
		return kept(TypeBucket, b.Name, fmt.Sprintf("its bucket policy lets %s write to it (aws:SourceArn), so it is not only the lab's", strings.Join(foreign, ", ")))
	}
	if b.ContentsErr != nil {
		return failed(TypeBucket, b.Name, b.ContentsErr)
	}
	return Step{Action: Action{Type: TypeBucket, Name: b.Name, Action: ActionEmptyAndDelete, Status: StatusPlanned, Detail: b.Contents.String()},
		Op: Op{Kind: OpEmptyAndDeleteBucket, Name: b.Name, Region: b.Region, Expected: b.Contents.Versions + b.Contents.Markers}}
}

// otherTrail names a trail that is not the lab's, and why.
func otherTrail(t Trail) string {
	switch {
	case t.Organization:
		return fmt.Sprintf("organization trail %s", t.ARN)
	case t.Tags[StackTag] != "":
		return fmt.Sprintf("trail %s, which stack %s owns,", t.ARN, t.Tags[StackTag])
	}
	return "trail " + t.ARN
}

// keySteps: the key is the lab's only if it is customer managed, no stack
// tags it, and only the lab's alias points to it. The alias is the lab's
// unless a stack owns its key.
func keySteps(a Account, n Names, now time.Time) []Step {
	if a.AliasErr != nil {
		return []Step{failed(TypeAlias, n.Alias, a.AliasErr)}
	}
	k := a.Alias
	if k == nil {
		return nil
	}
	switch {
	case k.TagsErr != nil:
		return []Step{failed(TypeAlias, k.Name, k.TagsErr), failed(TypeKey, k.KeyID, k.TagsErr)}
	case k.Tags[StackTag] != "":
		return []Step{stackOwned(TypeAlias, k.Name, k.Tags[StackTag]), stackOwned(TypeKey, k.KeyID, k.Tags[StackTag])}
	case k.OtherAliasesErr != nil:
		return []Step{failed(TypeAlias, k.Name, k.OtherAliasesErr), failed(TypeKey, k.KeyID, k.OtherAliasesErr)}
	}
	alias := Step{Action: Action{Type: TypeAlias, Name: k.Name, Action: ActionDelete, Status: StatusPlanned, Detail: "points to key " + k.KeyID},
		Op: Op{Kind: OpDeleteAlias, Name: k.Name, Key: k.KeyID}}
	return []Step{alias, keyStep(k, n.KeyDeletionDays, now)}
}

func keyStep(k *Alias, days int, now time.Time) Step {
	switch {
	case len(k.OtherAliases) > 0:
		others := append([]string(nil), k.OtherAliases...)
		sort.Strings(others)
		return kept(TypeKey, k.KeyID, fmt.Sprintf("%s also points to it, so it is not only the lab's; delete that alias first if the key should go", strings.Join(others, ", ")))
	case k.KeyManager == "AWS":
		return kept(TypeKey, k.KeyID, "an AWS managed key, which AWS deletes")
	case k.KeyManager != "CUSTOMER":
		return kept(TypeKey, k.KeyID, fmt.Sprintf("KMS did not say it is customer managed (KeyManager %q), so it is not known to be the lab's", k.KeyManager))
	case k.KeyState == "PendingDeletion" || k.KeyState == "PendingReplicaDeletion":
		s := Step{Action: Action{Type: TypeKey, Name: k.KeyID, Action: ActionNone, Status: StatusDone, Detail: "already pending deletion, left as it is"}}
		if k.DeletionDate != nil {
			s.Detail += "; deleted on " + Day(*k.DeletionDate)
		}
		return s
	}
	return Step{Action: Action{Type: TypeKey, Name: k.KeyID, Action: ActionScheduleDeletion, Status: StatusPlanned,
		Detail: fmt.Sprintf("deletion would take effect on %s, %d days after it is scheduled; a key pending deletion costs nothing",
			Day(now.Add(time.Duration(days)*24*time.Hour)), days)},
		Op: Op{Kind: OpScheduleKeyDeletion, Name: k.KeyID, Days: days}}
}

// Day formats a date as KMS's deletion dates are read.
func Day(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
