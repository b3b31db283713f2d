// Package config is the one place that reads and validates the kms-lab stack
// configuration. It works on a plain key lookup so that the Pulumi program and
// the offline plan share every rule, and it reports every problem at once,
// before any resource is registered.
package config

import "github.com/kms-lab/kms-lab/internal/labnames"

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
	// Rule is what Load accepts, as docs/configuration.md states it; the
	// messages for a value it refuses come from validate.go.
	Rule string
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
	defaultKeyAlias         = labnames.GuideAlias
	defaultKeyDescription   = labnames.GuideKeyDescription
	defaultDeletionWindow   = 7
	defaultTrailName        = labnames.GuideTrail
	defaultBucketNamePrefix = labnames.GuideBucketPrefix
	defaultImagePath        = "assets/lab-image.png"
)

// Settings returns the project's config schema. Pulumi.yaml mirrors it and a
// test keeps the two identical.
func Settings() []Setting {
	return []Setting{
		{Key: KeyAlias, Type: TypeString, Default: defaultKeyAlias,
			Description: "KMS alias name without the alias/ prefix (lab task 1).",
			Rule:        "letters, digits, `/ _ -`, at most 250 characters; not `aws/…` (reserved for AWS managed keys), no `alias/` prefix (it is added)"},
		{Key: KeyDescription, Type: TypeString, Default: defaultKeyDescription,
			Description: "Description of the KMS key.",
			Rule:        "at most 8192 characters"},
		{Key: KeyAdministrators, Type: TypeArray, ItemType: TypeString, Default: []any{Deployer},
			Description: "IAM user or role ARNs allowed to administer the key; the entry deployer stands for whoever runs pulumi up (an assumed-role session maps to its role). An empty list leaves administration to the account root statement.",
			Rule:        "IAM user, IAM role or account root ARNs (`arn:aws:iam::ACCOUNT:root`) in the stack's partition, each once; `deployer` stands for whoever runs `pulumi up` (an assumed-role session is mapped to its role through `iam:GetRole`, asked only when `deployer` is listed). Refused, with what to write instead: session ARNs, federated users, wildcards, service principals, IAM groups, bare account IDs. `[]` leaves only the account-root statement"},
		{Key: KeyUsers, Type: TypeArray, ItemType: TypeString, Default: []any{Deployer},
			Description: "IAM user or role ARNs allowed to use the key; the entry deployer stands for whoever runs pulumi up. Removing one and adding it back is lab task 6.",
			Rule:        "as keyAdministrators; `[]` drops both key-user statements"},
		{Key: KeyDeletionWindowDays, Type: TypeInteger, Default: defaultDeletionWindow,
			Description: "Days (7-30) the key stays pending deletion after pulumi destroy; it can be cancelled in that window.",
			Rule:        "a whole number from 7 to 30"},
		{Key: KeyRotation, Type: TypeBoolean, Default: true,
			Description: "Rotate the key material yearly.",
			Rule:        "`true` or `false`"},
		{Key: TrailName, Type: TypeString, Default: defaultTrailName,
			Description: "CloudTrail trail name (lab task 2).",
			Rule:        "3-128 of `A-Z a-z 0-9 . _ -`, starts and ends with a letter or digit, no adjacent `. _ -`, not an IP address"},
		{Key: BucketNamePrefix, Type: TypeString, Default: defaultBucketNamePrefix,
			Description: "Prefix of the generated log bucket name; the provider appends a 26-character timestamp and counter, like the lab's mycloudtrailbucketNUMBER.",
			Rule:        "at most 37 characters (the provider appends 26: an 18-digit timestamp and an 8-hex-digit counter), lowercase letters, digits and hyphens, starting with a letter or digit; no dots"},
		{Key: BucketName, Type: TypeString, Default: "",
			Description: "Exact log bucket name instead of a generated one; empty means generated from bucketNamePrefix. Set one of the two.",
			Rule:        "`\"\"` means generated from bucketNamePrefix; otherwise an exact S3 bucket name of 3-63 lowercase letters, digits and hyphens, no dots, no prefix or suffix S3 reserves; not together with a changed bucketNamePrefix"},
		{Key: ForceDestroy, Type: TypeBoolean, Default: true,
			Description: "Let pulumi destroy delete the bucket with its log files and image in it.",
			Rule:        "`true` or `false`"},
		{Key: DataEvents, Type: TypeBoolean, Default: true,
			Description: "Log S3 object data events for all buckets (basic selectors). Off saves CloudTrail data-event charges.",
			Rule:        "`true` or `false`"},
		{Key: DataEventsScope, Type: TypeString, Default: DataEventsAllBuckets,
			Description: "Which buckets' S3 data events are logged while dataEvents is true: all-buckets (basic selectors, as the lab does it) or exclude-trail-bucket (advanced selectors that leave out the trail's own bucket, so log deliveries are not logged again).",
			Rule:        "`all-buckets` or `exclude-trail-bucket` (the image's own S3 data events go too; lab task 5 still works from the KMS events; see [costs.md](costs.md)); `exclude-trail-bucket` only with dataEvents `true`"},
		{Key: Insights, Type: TypeBoolean, Default: true,
			Description: "Enable CloudTrail Insights for API call rate and API error rate. Off saves Insights charges.",
			Rule:        "`true` or `false`"},
		{Key: ImagePath, Type: TypeString, Default: defaultImagePath,
			Description: "Image file to upload with SSE-KMS, relative to the project directory (lab task 3).",
			Rule:        "an existing PNG, JPEG, GIF, WebP or BMP file (sniffed from its bytes), at most 10 MiB; its file name must be a valid objectKey when objectKey is `\"\"`"},
		{Key: ObjectKey, Type: TypeString, Default: "",
			Description: "S3 object key of the image; empty means the image's file name.",
			Rule:        "`\"\"` means the image's file name; at most 1024 bytes of S3's safe characters (letters, digits, `! _ . * ' ( ) / -`), so the object URL needs no escaping; no leading or trailing slash, no empty, `.` or `..` segments"},
		{Key: PublicObjectACL, Type: TypeBoolean, Default: true,
			Description: "Grant public-read on the image by ACL, so an anonymous request shows the SSE-KMS Signature Version 4 error (lab task 4).",
			Rule:        "`true` or `false`; `true` needs publicAccess `object-acl` or `all-off`"},
		{Key: PublicAccess, Type: TypeString, Default: publicAccessObjectACL,
			Description: "Block Public Access on the bucket: object-acl (allow public ACLs only), all-off (the lab's literal 'deselect all') or blocked (all four on).",
			Rule:        "`object-acl`, `all-off` or `blocked`; `blocked` only with publicObjectAcl `false`"},
		{Key: Tags, Type: TypeObject, Default: map[string]any{},
			Description: "Extra tags (string to string, at most 49) for the key, the bucket and the trail.",
			Rule:        "at most 49 tags (AWS allows 50; each resource also gets `kms-lab:stack` = the stack name); keys 1-128 and values up to 256 of letters, digits, spaces and `+ - = . _ : / @`; keys not `aws:…` or `kms-lab:…`. The image object is not tagged (S3 allows 10 tags per object)"},
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
	publicAccessObjectACL = "object-acl"
	publicAccessAllOff    = "all-off"
	publicAccessBlocked   = "blocked"
)
