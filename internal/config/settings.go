// Package config is the one place that reads and validates the kms-lab stack
// configuration. It works on a plain key lookup so that the Pulumi program and
// the offline plan share every rule, and it reports every problem at once,
// before any resource is registered.
package config

// Namespace is the Pulumi config namespace of this project's settings.
const Namespace = "kms-lab"

// Type is a Pulumi project config type as written in Pulumi.yaml.
type Type string

// The config types Pulumi.yaml can declare.
const (
	TypeString  Type = "string"
	TypeInteger Type = "integer"
	TypeBoolean Type = "boolean"
	TypeArray   Type = "array"
	TypeObject  Type = "object"
)

// Setting describes one config key. Every key has a default: the Pulumi CLI
// refuses to run a program while a typed key without a default is unset.
// Defaults that depend on the deployment say so in their value: "deployer"
// in a principal list, "" for a name AWS or the file name supplies.
type Setting struct {
	Key         string
	Type        Type
	ItemType    Type // for arrays
	Default     any
	Description string
}

// Key names, used by the loader and by error messages.
const (
	KeyAlias              = "keyAlias"
	KeyDescription        = "keyDescription"
	KeyAdministrators     = "keyAdministrators"
	KeyUsers              = "keyUsers"
	KeyDeletionWindowDays = "keyDeletionWindowDays"
	KeyRotation           = "keyRotation"
	TrailName             = "trailName"
	BucketNamePrefix      = "bucketNamePrefix"
	BucketName            = "bucketName"
	ForceDestroy          = "forceDestroy"
	DataEvents            = "dataEvents"
	DataEventsScope       = "dataEventsScope"
	Insights              = "insights"
	ImagePath             = "imagePath"
	ObjectKey             = "objectKey"
	PublicObjectACL       = "publicObjectAcl"
	PublicAccess          = "publicAccess"
	Tags                  = "tags"
)

// Defaults that Go code needs by name; Settings carries them all.
const (
	DefaultKeyAlias         = "myFirstKey"
	DefaultKeyDescription   = "KMS Key for S3 data"
	DefaultDeletionWindow   = 7
	DefaultTrailName        = "myTrail"
	DefaultBucketNamePrefix = "mycloudtrailbucket"
	DefaultImagePath        = "assets/lab-image.png"
)

// Settings returns the project's config schema. Pulumi.yaml mirrors it and a
// test keeps the two identical.
func Settings() []Setting {
	return []Setting{
		{Key: KeyAlias, Type: TypeString, Default: DefaultKeyAlias,
			Description: "KMS alias name without the alias/ prefix (lab task 1)."},
		{Key: KeyDescription, Type: TypeString, Default: DefaultKeyDescription,
			Description: "Description of the KMS key."},
		{Key: KeyAdministrators, Type: TypeArray, ItemType: TypeString, Default: []any{Deployer},
			Description: "IAM user or role ARNs allowed to administer the key; the entry deployer stands for whoever runs pulumi up (an assumed-role session maps to its role). An empty list leaves administration to the account root statement."},
		{Key: KeyUsers, Type: TypeArray, ItemType: TypeString, Default: []any{Deployer},
			Description: "IAM user or role ARNs allowed to use the key; the entry deployer stands for whoever runs pulumi up. Removing one and adding it back is lab task 6."},
		{Key: KeyDeletionWindowDays, Type: TypeInteger, Default: DefaultDeletionWindow,
			Description: "Days (7-30) the key stays pending deletion after pulumi destroy; it can be cancelled in that window."},
		{Key: KeyRotation, Type: TypeBoolean, Default: true,
			Description: "Rotate the key material yearly."},
		{Key: TrailName, Type: TypeString, Default: DefaultTrailName,
			Description: "CloudTrail trail name (lab task 2)."},
		{Key: BucketNamePrefix, Type: TypeString, Default: DefaultBucketNamePrefix,
			Description: "Prefix of the generated log bucket name; the provider appends a 26-character timestamp and counter, like the lab's mycloudtrailbucketNUMBER."},
		{Key: BucketName, Type: TypeString, Default: "",
			Description: "Exact log bucket name instead of a generated one; empty means generated from bucketNamePrefix. Set one of the two."},
		{Key: ForceDestroy, Type: TypeBoolean, Default: true,
			Description: "Let pulumi destroy delete the bucket with its log files and image in it."},
		{Key: DataEvents, Type: TypeBoolean, Default: true,
			Description: "Log S3 object data events for all buckets (basic selectors). Off saves CloudTrail data-event charges."},
		{Key: DataEventsScope, Type: TypeString, Default: DataEventsAllBuckets,
			Description: "Which buckets' S3 data events are logged while dataEvents is true: all-buckets (basic selectors, as the lab does it) or exclude-trail-bucket (advanced selectors that leave out the trail's own bucket, so log deliveries are not logged again)."},
		{Key: Insights, Type: TypeBoolean, Default: true,
			Description: "Enable CloudTrail Insights for API call rate and API error rate. Off saves Insights charges."},
		{Key: ImagePath, Type: TypeString, Default: DefaultImagePath,
			Description: "Image file to upload with SSE-KMS, relative to the project directory (lab task 3)."},
		{Key: ObjectKey, Type: TypeString, Default: "",
			Description: "S3 object key of the image; empty means the image's file name."},
		{Key: PublicObjectACL, Type: TypeBoolean, Default: true,
			Description: "Grant public-read on the image by ACL, so an anonymous request shows the SSE-KMS Signature Version 4 error (lab task 4)."},
		{Key: PublicAccess, Type: TypeString, Default: PublicAccessObjectACL,
			Description: "Block Public Access on the bucket: object-acl (allow public ACLs only), all-off (the lab's literal 'deselect all') or blocked (all four on)."},
		{Key: Tags, Type: TypeObject, Default: map[string]any{},
			Description: "Extra tags (string to string, at most 49) for the key, the bucket and the trail."},
	}
}

// StackTagKey is the tag kms-lab puts on every taggable resource, valued
// with the stack name, so a lab account's resources can be found by stack.
const StackTagKey = Namespace + ":stack"

// Data event scopes (dataEventsScope).
const (
	DataEventsAllBuckets         = "all-buckets"
	DataEventsExcludeTrailBucket = "exclude-trail-bucket"
)

// Public access modes.
const (
	PublicAccessObjectACL = "object-acl"
	PublicAccessAllOff    = "all-off"
	PublicAccessBlocked   = "blocked"
)
