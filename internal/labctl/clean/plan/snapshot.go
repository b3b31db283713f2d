// Package plan decides, from what was read of one account, what of it is
// the lab's and what labctl clean does with each resource. It takes values,
// never clients: the reads happen before (clean's observe) and the deletes
// after (clean's apply), so every rule here is a table test over snapshots.
//
// The snapshot is clean's own small value type. It holds what the
// account model of the whole of labctl holds for clean (every trail the
// account can see with its home region, destination bucket, tags and
// whether it is an organization trail; the prefix's buckets with tags,
// policy and object versions; the alias's key, tags and aliases), each
// field a value or the read that failed.
package plan

import (
	"fmt"
	"time"

	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// ReadError is a read that failed: never a value, and never "not there".
type ReadError struct {
	// Why is the explained error, one line, in the user's words.
	Why string
	// Denied says the read was refused (access denied, bad credentials):
	// an access error, not something a retry fixes.
	Denied bool
}

// Account is what clean read of one account and region.
type Account struct {
	ID     string
	Region string

	// Trails are every trail the region sees, shadow trails of multi-region
	// trails homed elsewhere and organization trails included
	// (cloudtrail:DescribeTrails with shadow trails).
	Trails    []Trail
	TrailsErr *ReadError
	// ElsewhereErr is a failed read of the trails homed in other regions
	// that this region does not see (a single-region trail elsewhere):
	// cloudtrail:ListTrails, then GetTrail in each one's home region.
	ElsewhereErr *ReadError

	// Buckets are the buckets whose names start with the prefix.
	Buckets    []Bucket
	BucketsErr *ReadError

	// Alias is the lab's alias and its key; nil when the alias is not there.
	Alias    *Alias
	AliasErr *ReadError
}

// Trail is one trail as the account sees it.
type Trail struct {
	Name         string
	ARN          string
	HomeRegion   string
	Bucket       string // where it delivers log files
	Organization bool

	// Tags, EventSelectors and Insights are read only for trails with the
	// lab's name that are not organization trails.
	Tags    map[string]string
	TagsErr *ReadError
	Events  *TrailEvents
	// EventsErr only changes the description: what a trail logs does not
	// decide whether it is the lab's.
	EventsErr *ReadError
}

// TrailEvents is what a trail logs.
type TrailEvents struct {
	Selectors []cttypes.EventSelector
	Advanced  []cttypes.AdvancedEventSelector
	Insights  []cttypes.InsightSelector
	// InsightsErr: the Insights selectors could not be read.
	InsightsErr *ReadError
}

// Bucket is one bucket whose name starts with the prefix.
type Bucket struct {
	Name   string
	Region string
	// Gone says it was deleted between the listing and its reads.
	Gone bool

	Tags    map[string]string
	TagsErr *ReadError
	// Policy is the bucket policy's JSON, "" when it has none.
	Policy    string
	PolicyErr *ReadError

	Contents    Contents
	ContentsErr *ReadError
}

// Contents counts what a bucket holds, every version included.
type Contents struct {
	Versions, Markers int
	Bytes             int64
}

// Alias is the lab's alias and the key it points to.
type Alias struct {
	Name         string // alias/myFirstKey
	KeyID        string
	KeyManager   string // CUSTOMER or AWS (KMS KeyMetadata.KeyManager)
	KeyState     string // KMS KeyMetadata.KeyState
	DeletionDate *time.Time

	Tags    map[string]string
	TagsErr *ReadError
	// OtherAliases are the key's aliases other than the lab's.
	OtherAliases    []string
	OtherAliasesErr *ReadError
}

func (n Contents) String() string {
	return fmt.Sprintf("%d object versions (%s), %d delete markers", n.Versions, size(n.Bytes), n.Markers)
}

func size(b int64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	div, exp := int64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(b)/float64(div), "KMGTPE"[exp])
}
