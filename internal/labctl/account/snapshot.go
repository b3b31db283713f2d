// Package account is the model of a lab account: what labctl reads of it,
// once, before anything is judged. labctl observes, then judges:
//
//   - An Observer (observe.go) makes every AWS call a command needs and
//     records each answer in a Snapshot. It decides nothing.
//   - The judges (verify, check, clean's plan) are functions of a Snapshot,
//     plus the stack outputs, the guide's names or the options. They import
//     no AWS client, so the same snapshot, read from a file, grades the same
//     offline (labctl snapshot, then check or verify --snapshot).
//
// Every value read from AWS is a Field: the value that was read, "not
// found" (AWS answered that the thing is not there, which is an answer
// about the account, so it is a value), or a ReadError (throttled, denied,
// timed out, an endpoint that does not support the call, a server error),
// which says nothing about the account. A Field a command did not ask for
// is not read (State ""). A judge turns a ReadError into `unknown` (or
// `failed`, for clean) in one place, with the error's message, which says
// why and when to retry; nothing that was not read is ever a `fail`.
//
// What the Snapshot holds:
//
//   - Taken: who took it (the caller's ARN), the account, the region, the
//     partition, when, and with which tool version. No credentials.
//   - Names: what was looked for (the alias, the trail's name, the bucket
//     prefix; for a deployed lab the stack outputs' key, bucket and image).
//   - Key: the key, its metadata (state, spec, manager, creation), policy,
//     rotation, the aliases that point to it and its tags.
//   - Trails: every trail the region sees, shadow trails of multi-region
//     trails homed elsewhere included, each with its home region,
//     organization flag, destination bucket and settings; the lab's trail
//     (and any other the command needs) with its logging status, event and
//     Insights selectors and tags, read in its home region.
//   - BucketList and Buckets: the buckets whose name starts with the prefix,
//     and each bucket read in detail (the prefix's and the lab trail's):
//     policy, Block Public Access, ownership, default encryption, tags, the
//     count of object versions, and the objects outside the log folder.
//   - Image: the object judged as the student's image, why it was chosen,
//     its head (encryption), ACL, and the answer to an anonymous GET. No
//     object body is kept.
//   - Logs: the log records and event-history records that name the key or
//     the image in the window tasks 5 and 6 need.
package account

import (
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/events"
)

// Version is the snapshot format's version; a reader refuses another.
const Version = 1

// Snapshot is everything a command read of one lab account.
type Snapshot struct {
	Version int   `json:"version"`
	Taken   Taken `json:"taken"`
	Names   Names `json:"names"`
	Key     Key   `json:"key"`
	// Trails are every trail the region sees (cloudtrail:DescribeTrails
	// with shadow trails).
	Trails Field[[]Trail] `json:"trails"`
	// BucketList are the buckets whose name starts with Names.BucketPrefix
	// (s3:ListBuckets with the prefix), sorted by name.
	BucketList Field[[]BucketRef] `json:"bucketList"`
	// Buckets are the buckets read in detail, sorted by name: the lab
	// trail's bucket and, where the command needs them, the prefix's.
	Buckets []Bucket `json:"buckets"`
	Image   Image    `json:"image"`
	Logs    Logs     `json:"logs"`
}

// Taken records who took the snapshot, of which account and region, and
// when. A snapshot can be edited, so grading one is for support, not marks.
type Taken struct {
	By        string    `json:"by"` // the caller's ARN
	Account   string    `json:"account"`
	Region    string    `json:"region"`
	Partition string    `json:"partition"`
	At        time.Time `json:"at"`
	// Endpoint is the custom endpoint read, "" for AWS itself.
	Endpoint string `json:"endpoint,omitempty"`
	Tool     string `json:"tool,omitempty"` // labctl's version
	// Command is what the snapshot was taken for: "check" or "verify".
	Command string `json:"command"`
}

// Names are what the observer looked for.
type Names struct {
	Alias        string `json:"alias"`        // alias/NAME
	Trail        string `json:"trail"`        // the trail's name
	BucketPrefix string `json:"bucketPrefix"` // check and clean: the trail bucket's name prefix
	// A deployed lab's stack outputs name the resources exactly.
	KeyID     string `json:"keyId,omitempty"`
	Bucket    string `json:"bucket,omitempty"`
	ObjectKey string `json:"objectKey,omitempty"`
	ObjectURL string `json:"objectUrl,omitempty"`
	// Student is the principal check grades (IAM user or role ARN).
	Student string `json:"student,omitempty"`
}

// Key is the lab's KMS key.
type Key struct {
	// Metadata is kms:DescribeKey of Names.KeyID, or of the alias when
	// there is no key ID (check, clean). Not found: no such key or alias.
	Metadata Field[KeyMetadata] `json:"metadata"`
	// AliasTarget is the key ID the alias points to (kms:DescribeKey of
	// the alias). Not found: no such alias.
	AliasTarget Field[string] `json:"aliasTarget"`
	// Policy is the key policy named "default".
	Policy Field[string] `json:"policy"`
	// Rotation is whether automatic rotation is on.
	Rotation Field[bool] `json:"rotation"`
	// Aliases are every alias that points to the key (kms:ListAliases).
	Aliases Field[[]string] `json:"aliases"`
	Tags    Field[[]Tag]    `json:"tags"`
}

// KeyMetadata is what kms:DescribeKey says of a key.
type KeyMetadata struct {
	ID          string `json:"id"`
	ARN         string `json:"arn"`
	Description string `json:"description"`
	State       string `json:"state"`   // Enabled, Disabled, PendingDeletion...
	Manager     string `json:"manager"` // CUSTOMER or AWS
	Spec        string `json:"spec"`    // SYMMETRIC_DEFAULT...
	// Usage is ENCRYPT_DECRYPT...; "" when the answer left it out.
	Usage                string     `json:"usage"`
	EncryptionAlgorithms []string   `json:"encryptionAlgorithms,omitempty"`
	Created              time.Time  `json:"created"`
	DeletionDate         *time.Time `json:"deletionDate,omitempty"`
}

// Trail is one trail the region sees.
type Trail struct {
	Name       string `json:"name"`
	ARN        string `json:"arn"`
	HomeRegion string `json:"homeRegion"`
	// Organization: an organization trail, which belongs to the
	// organization's management account, not the lab.
	Organization        bool   `json:"organization"`
	MultiRegion         bool   `json:"multiRegion"`
	GlobalServiceEvents bool   `json:"globalServiceEvents"`
	LogFileValidation   bool   `json:"logFileValidation"`
	Bucket              string `json:"bucket"`
	KeyPrefix           string `json:"keyPrefix,omitempty"`
	// KMSKeyID is the key that encrypts the log files, "" for none.
	KMSKeyID string `json:"kmsKeyId,omitempty"`
	// The rest are read in the home region, only for the trails a command
	// needs (the lab's).
	Logging   Field[bool]      `json:"logging"`
	Selectors Field[Selectors] `json:"selectors"`
	// Insights are the Insights types; not found means none, as AWS
	// answers InsightNotEnabledException for a trail that never had any.
	Insights Field[[]string] `json:"insights"`
	Tags     Field[[]Tag]    `json:"tags"`
}

// Selectors are a trail's event selectors: basic or advanced (AWS keeps one
// kind at a time).
type Selectors struct {
	Basic    []EventSelector         `json:"basic,omitempty"`
	Advanced []AdvancedEventSelector `json:"advanced,omitempty"`
}

// EventSelector is a basic event selector.
type EventSelector struct {
	ReadWriteType           string         `json:"readWriteType"`
	IncludeManagementEvents bool           `json:"includeManagementEvents"`
	DataResources           []DataResource `json:"dataResources,omitempty"`
}

// DataResource is a basic selector's data events: a type and ARN prefixes.
type DataResource struct {
	Type   string   `json:"type"`
	Values []string `json:"values"`
}

// AdvancedEventSelector is an advanced event selector.
type AdvancedEventSelector struct {
	Name           string          `json:"name,omitempty"`
	FieldSelectors []FieldSelector `json:"fieldSelectors"`
}

// FieldSelector is one field condition of an advanced selector.
type FieldSelector struct {
	Field         string   `json:"field"`
	Equals        []string `json:"equals,omitempty"`
	NotEquals     []string `json:"notEquals,omitempty"`
	StartsWith    []string `json:"startsWith,omitempty"`
	NotStartsWith []string `json:"notStartsWith,omitempty"`
	EndsWith      []string `json:"endsWith,omitempty"`
	NotEndsWith   []string `json:"notEndsWith,omitempty"`
}

// Tag is a resource tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// BucketRef is a bucket as ListBuckets names it.
type BucketRef struct {
	Name   string `json:"name"`
	Region string `json:"region,omitempty"` // "" when S3 did not say
}

// Bucket is one bucket read in detail.
type Bucket struct {
	Name string `json:"name"`
	// Exists is s3:HeadBucket; not found: no such bucket.
	Exists Field[bool] `json:"exists"`
	// Policy is the bucket policy; not found: none.
	Policy Field[string] `json:"policy"`
	// PublicAccessBlock is the bucket's Block Public Access; not found:
	// none configured (every switch off).
	PublicAccessBlock Field[PublicAccessBlock] `json:"publicAccessBlock"`
	// Ownership is the object ownership setting; not found: no ownership
	// controls.
	Ownership Field[string] `json:"ownership"`
	// Encryption is the default encryption's algorithm (AES256,
	// aws:kms...); not found: none.
	Encryption Field[string] `json:"encryption"`
	Tags       Field[[]Tag]  `json:"tags"`
	// Versions counts the bucket's object versions and delete markers
	// (what emptying it deletes).
	Versions Field[int] `json:"versions"`
	// Objects are the objects outside the log folder (image candidates).
	Objects Field[[]Object] `json:"objects"`
}

// PublicAccessBlock is a bucket's four Block Public Access switches.
type PublicAccessBlock struct {
	BlockPublicACLs       bool `json:"blockPublicAcls"`
	IgnorePublicACLs      bool `json:"ignorePublicAcls"`
	BlockPublicPolicy     bool `json:"blockPublicPolicy"`
	RestrictPublicBuckets bool `json:"restrictPublicBuckets"`
}

// Object is an object as a listing names it.
type Object struct {
	Key          string    `json:"key"`
	LastModified time.Time `json:"lastModified"`
	Size         int64     `json:"size"`
}

// Image is the object judged as the lab's image.
type Image struct {
	Bucket string `json:"bucket,omitempty"`
	Key    string `json:"key,omitempty"`
	// Chosen says why this object is the one judged, when the bucket held
	// several candidates ("" when the outputs named it).
	Chosen string `json:"chosen,omitempty"`
	// Candidates counts the objects it was chosen among.
	Candidates int `json:"candidates,omitempty"`
	// Head is s3:HeadObject; not found: no such object.
	Head Field[ObjectHead] `json:"head"`
	// ACL are the object's grants.
	ACL Field[[]Grant] `json:"acl"`
	// Anonymous is the answer to an unsigned GET of the object, lab task
	// 4's last step.
	Anonymous Field[AnonymousAnswer] `json:"anonymous"`
}

// ObjectHead is what s3:HeadObject says of the image.
type ObjectHead struct {
	// Encryption is x-amz-server-side-encryption: AES256, aws:kms...; ""
	// for none.
	Encryption       string    `json:"encryption"`
	KMSKeyID         string    `json:"kmsKeyId,omitempty"`
	BucketKeyEnabled bool      `json:"bucketKeyEnabled"`
	LastModified     time.Time `json:"lastModified"`
	Size             int64     `json:"size"`
}

// Grant is one grant of an ACL.
type Grant struct {
	// Grantee is the group URI, canonical ID or email the grant names.
	Grantee    string `json:"grantee"`
	Type       string `json:"type"` // Group, CanonicalUser, AmazonCustomerByEmail
	Permission string `json:"permission"`
}

// AnonymousAnswer is S3's answer to the unsigned GET: the status and the
// error document's code and message; of a served object only its length.
type AnonymousAnswer struct {
	URL     string `json:"url"`
	Status  int    `json:"status"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
	// Bytes is how much of a served body was read (and not kept).
	Bytes int `json:"bytes,omitempty"`
}

// Logs are the trail's log records and the event history in the window
// tasks 5 and 6 need.
type Logs struct {
	// Since and Until bound the window; From says where Since came from
	// ("the key's creation", "--since").
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`
	From  string    `json:"from,omitempty"`
	// Shown is the time messages name (Since without the margin).
	Shown time.Time `json:"shown,omitzero"`
	// Base is the log folder: [prefix/]AWSLogs/ACCOUNT/CloudTrail/.
	Base  string         `json:"base,omitempty"`
	Files Field[LogScan] `json:"files"`
	// History are the event history's CreateKey and PutKeyPolicy records
	// of the key (cloudtrail:LookupEvents).
	History Field[[]events.Record] `json:"history"`
}

// LogScan is what the log files showed.
type LogScan struct {
	Files int `json:"files"` // log files read
	// Newest is the delivery stamp of the newest file read.
	Newest  time.Time        `json:"newest,omitzero"`
	Matches []events.Match   `json:"matches"`
	Skipped []events.Skipped `json:"skipped,omitempty"`
}
