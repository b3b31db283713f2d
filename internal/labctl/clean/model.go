package clean

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/clean/plan"
)

// FromSnapshot is the plan's input taken from the account model's
// snapshot, so that clean can judge what the model's Observer read (and a
// snapshot file). It is a pure translation: a field that failed stays a
// failed read, and a field the snapshot did not read is a failed read too,
// never "not there". The model reads no trail homed in another region that
// this region does not see, so the buckets' rule ("no other trail logs to
// it, in any region") cannot be met from it alone: ElsewhereErr says so.
func FromSnapshot(s *account.Snapshot) plan.Account {
	a := plan.Account{ID: s.Taken.Account, Region: s.Taken.Region,
		ElsewhereErr: &plan.ReadError{Why: "the snapshot holds no trails homed in other regions that " + s.Taken.Region + " does not see (cloudtrail:ListTrails)"}}
	if e := readErr(s.Trails, "the trails of "+s.Taken.Region); e != nil {
		a.TrailsErr = e
	} else {
		for _, t := range s.Trails.Value {
			a.Trails = append(a.Trails, trailFrom(t, s.Names.Trail))
		}
	}
	if e := readErr(s.BucketList, "the buckets named "+s.Names.BucketPrefix+"*"); e != nil {
		a.BucketsErr = e
	} else {
		for _, ref := range s.BucketList.Value {
			a.Buckets = append(a.Buckets, bucketFrom(ref, s.Bucket(ref.Name)))
		}
	}
	a.Alias, a.AliasErr = aliasFrom(s)
	return a
}

// readErr is the plan's read error of a field that holds no value: failed,
// or not read. "Not found" is a value, so it is no error.
func readErr[T any](f account.Field[T], what string) *plan.ReadError {
	switch f.State {
	case account.Read, account.NotFound:
		return nil
	case account.Failed:
		if f.Error != nil {
			return &plan.ReadError{Why: f.Error.Message, Denied: f.Error.Kind == account.Denied || f.Error.Kind == account.BadCredentials}
		}
	}
	return &plan.ReadError{Why: what + " were not read"}
}

func tagsFrom(f account.Field[[]account.Tag], what string) (map[string]string, *plan.ReadError) {
	if e := readErr(f, what); e != nil {
		return nil, e
	}
	tags := map[string]string{}
	for _, t := range f.Value {
		tags[t.Key] = t.Value
	}
	return tags, nil
}

func trailFrom(t account.Trail, labName string) plan.Trail {
	p := plan.Trail{Name: t.Name, ARN: t.ARN, HomeRegion: t.HomeRegion, Bucket: t.Bucket, Organization: t.Organization}
	if t.Name != labName || t.Organization {
		return p
	}
	p.Tags, p.TagsErr = tagsFrom(t.Tags, "the tags of trail "+t.ARN)
	if p.EventsErr = readErr(t.Selectors, "the event selectors of "+t.ARN); p.EventsErr != nil {
		return p
	}
	ev := &plan.TrailEvents{}
	for _, b := range t.Selectors.Value.Basic {
		sel := cttypes.EventSelector{ReadWriteType: cttypes.ReadWriteType(b.ReadWriteType), IncludeManagementEvents: aws.Bool(b.IncludeManagementEvents)}
		for _, d := range b.DataResources {
			sel.DataResources = append(sel.DataResources, cttypes.DataResource{Type: aws.String(d.Type), Values: d.Values})
		}
		ev.Selectors = append(ev.Selectors, sel)
	}
	for _, a := range t.Selectors.Value.Advanced {
		sel := cttypes.AdvancedEventSelector{Name: aws.String(a.Name)}
		for _, f := range a.FieldSelectors {
			sel.FieldSelectors = append(sel.FieldSelectors, cttypes.AdvancedFieldSelector{Field: aws.String(f.Field), Equals: f.Equals})
		}
		ev.Advanced = append(ev.Advanced, sel)
	}
	if ev.InsightsErr = readErr(t.Insights, "the Insights selectors of "+t.ARN); ev.InsightsErr == nil {
		for _, typ := range t.Insights.Value {
			ev.Insights = append(ev.Insights, cttypes.InsightSelector{InsightType: cttypes.InsightType(typ)})
		}
	}
	p.Events = ev
	return p
}

func bucketFrom(ref account.BucketRef, b *account.Bucket) plan.Bucket {
	p := plan.Bucket{Name: ref.Name, Region: ref.Region}
	if b == nil {
		p.TagsErr = &plan.ReadError{Why: "bucket " + ref.Name + " was not read in detail"}
		return p
	}
	switch {
	case b.Exists.Missing():
		p.Gone = true
		return p
	case b.Exists.State != account.Read:
		p.TagsErr = readErr(b.Exists, "bucket "+ref.Name)
		return p
	}
	p.Tags, p.TagsErr = tagsFrom(b.Tags, "the tags of bucket "+ref.Name)
	if p.PolicyErr = readErr(b.Policy, "the policy of bucket "+ref.Name); p.PolicyErr == nil {
		p.Policy = b.Policy.Value
	}
	if p.ContentsErr = readErr(b.Versions, "the object versions of bucket "+ref.Name); p.ContentsErr == nil {
		// The model counts versions and delete markers together, without
		// their size.
		p.Contents = plan.Contents{Versions: b.Versions.Value}
	}
	return p
}

func aliasFrom(s *account.Snapshot) (*plan.Alias, *plan.ReadError) {
	k := s.Key
	if k.AliasTarget.Missing() {
		return nil, nil
	}
	if e := readErr(k.AliasTarget, "KMS alias "+s.Names.Alias); e != nil {
		return nil, e
	}
	if e := readErr(k.Metadata, "KMS key "+k.AliasTarget.Value); e != nil || k.Metadata.Missing() {
		if e == nil {
			e = &plan.ReadError{Why: "KMS key " + k.AliasTarget.Value + " was not found"}
		}
		return nil, e
	}
	md := k.Metadata.Value
	a := &plan.Alias{Name: s.Names.Alias, KeyID: md.ID, KeyManager: md.Manager, KeyState: md.State, DeletionDate: md.DeletionDate}
	if a.Tags, a.TagsErr = tagsFrom(k.Tags, "the tags of KMS key "+md.ID); a.TagsErr != nil {
		return a, nil
	}
	if a.OtherAliasesErr = readErr(k.Aliases, "the aliases of KMS key "+md.ID); a.OtherAliasesErr == nil {
		for _, name := range k.Aliases.Value {
			if name != s.Names.Alias {
				a.OtherAliases = append(a.OtherAliases, name)
			}
		}
	}
	return a, nil
}
