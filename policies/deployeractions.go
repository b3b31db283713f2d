package policies

import "slices"

// Step is a lifecycle step in which the AWS provider makes an API call.
// `pulumi up` creates (and reads back) or updates; `pulumi preview
// --refresh` and `pulumi refresh` read; `pulumi destroy` deletes.
type Step string

// The lifecycle steps of a resource or data source.
const (
	StepCreate Step = "create"
	StepRead   Step = "read"
	StepUpdate Step = "update"
	StepDelete Step = "delete"
	// StepInvoke is a data-source call, made on every preview, up and
	// destroy that runs the program.
	StepInvoke Step = "invoke"
)

// Scope names the resources an action is granted on. Each scope becomes one
// statement of the deployer policy, so a scope is also a purpose.
type Scope string

// The scopes of the deployer policy, in statement order. The resource each
// one stands for is built by DeployerPolicy from DeployerPolicyArgs.
const (
	// ScopeNewKey is "*" with conditions that pin the key spec, usage,
	// origin and single-Region-ness: CreateKey has no KMS key resource to
	// scope to (Service Authorization Reference, AWS KMS, "CreateKey").
	ScopeNewKey Scope = "KmsCreateSymmetricKey"
	// ScopeKeyTagging is "*": the KMS guide requires tagging permission
	// "in an IAM policy that isn't restricted to particular KMS keys" to
	// tag a key while creating it ("Controlling access to tags").
	ScopeKeyTagging Scope = "KmsTagKeys"
	// ScopeKeys is every KMS key of the account in the stack's Regions.
	// The key ID is not known before CreateKey, so no narrower ARN exists.
	ScopeKeys Scope = "KmsManageKeys"
	// ScopeAlias is the lab alias and the keys it may point at: KMS
	// authorizes CreateAlias, UpdateAlias and DeleteAlias on both
	// ("Controlling access to aliases").
	ScopeAlias Scope = "KmsManageLabAlias"
	// ScopeKMSList is "*": ListAliases has no resource type.
	ScopeKMSList Scope = "KmsListAliases"
	// ScopeKeyViaS3 is every key of the account, only through S3 in the
	// stack's Regions (kms:ViaService): the image upload with SSE-KMS.
	ScopeKeyViaS3 Scope = "KmsEncryptLabImageViaS3"
	// ScopeBucket is the log bucket: its exact name or every bucket whose
	// name starts with the prefix.
	ScopeBucket Scope = "S3ManageLabBucket"
	// ScopeObjects is every object of that bucket (or those buckets).
	ScopeObjects Scope = "S3ManageLabBucketObjects"
	// ScopeTrail is the lab trail's ARN in each of the stack's Regions.
	ScopeTrail Scope = "CloudTrailManageLabTrail"
	// ScopeCloudTrailList is "*": the Service Authorization Reference lists
	// DescribeTrails with no resource type.
	ScopeCloudTrailList Scope = "CloudTrailDescribeTrails"
	// ScopeDeployerRole is the deploying role (or any role of the account
	// when it is not known), for iam.getSessionContext.
	ScopeDeployerRole Scope = "IamReadDeployerRole"
	// ScopeNone marks a call that needs no permission at all.
	ScopeNone Scope = ""
)

// scopeOrder is the statement order of the policy.
var scopeOrder = []Scope{
	ScopeNewKey, ScopeKeyTagging, ScopeKeys, ScopeAlias, ScopeKMSList, ScopeKeyViaS3,
	ScopeBucket, ScopeObjects, ScopeTrail, ScopeCloudTrailList, ScopeDeployerRole,
}

// DeployerAction is one IAM action the provider needs for one resource type
// or data source, the steps that need it, where it is granted and where
// that fact comes from.
type DeployerAction struct {
	// Action is the IAM action, service:Name. Empty for a call that needs
	// no permission (Scope ScopeNone).
	Action string
	Steps  []Step
	Scope  Scope
	// Source is the provider code or AWS documentation the entry is taken
	// from: "tf <file> <function>" is terraform-provider-aws (which
	// pulumi-aws v6 bridges), file relative to internal/service/.
	Source string
}

// Who calls what. Terraform-provider-aws function names below are those of
// its internal/service/<svc>/ files; S3 IAM action names for API operations
// (for example GetBucketEncryption -> s3:GetEncryptionConfiguration) are
// from the Amazon S3 User Guide, "Required permissions for Amazon S3 API
// operations".
var (
	crud   = []Step{StepCreate, StepRead, StepUpdate, StepDelete}
	create = []Step{StepCreate}
	read   = []Step{StepCreate, StepRead, StepUpdate} // every create and update ends in a read
	update = []Step{StepUpdate}
	cu     = []Step{StepCreate, StepUpdate}
	del    = []Step{StepDelete}
	invoke = []Step{StepInvoke}
)

// Resource type and data-source tokens of the program (pulumi-aws v6).
const (
	TypeKey              = "aws:kms/key:Key"
	TypeAlias            = "aws:kms/alias:Alias"
	TypeBucket           = "aws:s3/bucketV2:BucketV2"
	TypeBucketEncryption = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	TypeOwnership        = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	TypePublicAccess     = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	TypeBucketPolicy     = "aws:s3/bucketPolicy:BucketPolicy"
	TypeObject           = "aws:s3/bucketObjectv2:BucketObjectv2"
	TypeTrail            = "aws:cloudtrail/trail:Trail"
	CallCallerIdentity   = "aws:index/getCallerIdentity:getCallerIdentity"
	CallPartition        = "aws:index/getPartition:getPartition"
	CallRegion           = "aws:index/getRegion:getRegion"
	CallSessionContext   = "aws:iam/getSessionContext:getSessionContext"
)

// DeployerActions returns, for every resource type the program registers and
// every data source it calls, the IAM actions the AWS provider needs. It is
// the table DeployerPolicy is built from. Each call returns a new map.
func DeployerActions() map[string][]DeployerAction {
	return map[string][]DeployerAction{
		TypeKey: {
			{"kms:CreateKey", create, ScopeNewKey, "tf kms/key.go resourceKeyCreate"},
			{"kms:TagResource", cu, ScopeKeyTagging, "tf kms/key.go resourceKeyCreate (CreateKey Tags); tags_gen.go updateTags"},
			{"kms:UntagResource", update, ScopeKeys, "tf kms/tags_gen.go updateTags"},
			{"kms:DescribeKey", crud, ScopeKeys, "tf kms/key.go findKeyByID (read, waitKeyDeleted)"},
			{"kms:GetKeyPolicy", read, ScopeKeys, "tf kms/key.go findKeyPolicyByTwoPartKey (read, waitKeyPolicyPropagated)"},
			{"kms:GetKeyRotationStatus", read, ScopeKeys, "tf kms/key.go findKeyRotationEnabledByKeyID (read, waitKeyRotationEnabledPropagated)"},
			{"kms:ListResourceTags", read, ScopeKeys, "tf kms/key.go findKeyInfo listTags, waitTagsPropagated"},
			{"kms:EnableKeyRotation", cu, ScopeKeys, "tf kms/key.go updateKeyRotationEnabled"},
			{"kms:DisableKeyRotation", update, ScopeKeys, "tf kms/key.go updateKeyRotationEnabled (keyRotation: false)"},
			{"kms:PutKeyPolicy", update, ScopeKeys, "tf kms/key.go updateKeyPolicy (lab task 6, keyUsers change)"},
			{"kms:UpdateKeyDescription", update, ScopeKeys, "tf kms/key.go updateKeyDescription"},
			{"kms:EnableKey", update, ScopeKeys, "tf kms/key.go updateKeyEnabled (re-enables a key disabled by hand)"},
			{"kms:ScheduleKeyDeletion", del, ScopeKeys, "tf kms/key.go resourceKeyDelete"},
		},
		TypeAlias: {
			{"kms:CreateAlias", create, ScopeAlias, "tf kms/alias.go resourceAliasCreate"},
			{"kms:UpdateAlias", update, ScopeAlias, "tf kms/alias.go resourceAliasUpdate"},
			{"kms:DeleteAlias", del, ScopeAlias, "tf kms/alias.go resourceAliasDelete"},
			{"kms:ListAliases", read, ScopeKMSList, "tf kms/alias.go resourceAliasRead FindAliasByName"},
		},
		TypeBucket: {
			// CreateBucket with the private canned ACL needs s3:CreateBucket
			// only (Amazon S3 API Reference, CreateBucket, "Permissions").
			{"s3:CreateBucket", create, ScopeBucket, "tf s3/bucket.go resourceBucketCreate"},
			{"s3:ListBucket", crud, ScopeBucket, "tf s3/bucket.go findBucket (HeadBucket), manager.GetBucketRegion"},
			{"s3:GetBucketPolicy", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead findBucketPolicy"},
			{"s3:GetBucketAcl", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead findBucketACL"},
			{"s3:GetBucketCORS", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead findCORSRules"},
			{"s3:GetBucketWebsite", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead findBucketWebsite"},
			{"s3:GetBucketVersioning", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead findBucketVersioning"},
			{"s3:GetAccelerateConfiguration", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead findBucketAccelerateConfiguration"},
			{"s3:GetBucketRequestPayment", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead findBucketRequestPayment"},
			{"s3:GetBucketLogging", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead findLoggingEnabled"},
			{"s3:GetLifecycleConfiguration", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead findLifecycleRules"},
			{"s3:GetReplicationConfiguration", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead findReplicationConfiguration"},
			{"s3:GetEncryptionConfiguration", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead findServerSideEncryptionConfiguration"},
			{"s3:GetBucketObjectLockConfiguration", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead findObjectLockConfiguration"},
			{"s3:GetBucketTagging", read, ScopeBucket, "tf s3/bucket.go resourceBucketRead BucketListTags"},
			// DeleteBucketTagging is authorized as s3:PutBucketTagging.
			{"s3:PutBucketTagging", cu, ScopeBucket, "tf s3/bucket.go resourceBucketUpdate BucketUpdateTags"},
			{"s3:DeleteBucket", del, ScopeBucket, "tf s3/bucket.go resourceBucketDelete"},
			{"s3:ListBucketVersions", del, ScopeBucket, "tf s3/bucket.go resourceBucketDelete emptyBucket (forceDestroy: ListObjectVersions)"},
			{"s3:DeleteObject", del, ScopeObjects, "tf s3/bucket.go resourceBucketDelete emptyBucket (DeleteObjects)"},
			{"s3:DeleteObjectVersion", del, ScopeObjects, "tf s3/bucket.go resourceBucketDelete emptyBucket (DeleteObjects with version IDs)"},
		},
		TypeBucketEncryption: {
			// PutBucketEncryption and DeleteBucketEncryption are both
			// authorized as s3:PutEncryptionConfiguration.
			{"s3:PutEncryptionConfiguration", crud, ScopeBucket, "tf s3/bucket_server_side_encryption_configuration.go create/update/delete"},
			{"s3:GetEncryptionConfiguration", read, ScopeBucket, "tf s3/bucket_server_side_encryption_configuration.go read"},
		},
		TypeOwnership: {
			// DeleteBucketOwnershipControls is authorized as s3:PutBucketOwnershipControls.
			{"s3:PutBucketOwnershipControls", crud, ScopeBucket, "tf s3/bucket_ownership_controls.go create/update/delete"},
			{"s3:GetBucketOwnershipControls", read, ScopeBucket, "tf s3/bucket_ownership_controls.go resourceBucketOwnershipControlsRead"},
		},
		TypePublicAccess: {
			// DeletePublicAccessBlock is authorized as s3:PutBucketPublicAccessBlock.
			{"s3:PutBucketPublicAccessBlock", crud, ScopeBucket, "tf s3/bucket_public_access_block.go create/update/delete"},
			{"s3:GetBucketPublicAccessBlock", read, ScopeBucket, "tf s3/bucket_public_access_block.go read (and the wait after create)"},
		},
		TypeBucketPolicy: {
			{"s3:PutBucketPolicy", cu, ScopeBucket, "tf s3/bucket_policy.go resourceBucketPolicyPut"},
			{"s3:GetBucketPolicy", read, ScopeBucket, "tf s3/bucket_policy.go resourceBucketPolicyRead findBucketPolicy"},
			{"s3:DeleteBucketPolicy", del, ScopeBucket, "tf s3/bucket_policy.go resourceBucketPolicyDelete"},
		},
		TypeObject: {
			// manager.Uploader: PutObject, or a multipart upload (also
			// s3:PutObject) for files over 5 MiB; imagePath allows 10 MiB.
			{"s3:PutObject", cu, ScopeObjects, "tf s3/object.go resourceObjectUpload"},
			// The public-read canned ACL on upload (x-amz-acl) and on an acl
			// change (PutObjectAcl).
			{"s3:PutObjectAcl", cu, ScopeObjects, "tf s3/object.go resourceObjectUpload (input.ACL), resourceObjectUpdate"},
			{"s3:AbortMultipartUpload", cu, ScopeObjects, "tf s3/object.go resourceObjectUpload (manager.Uploader aborts a failed multipart upload)"},
			{"s3:GetObject", read, ScopeObjects, "tf s3/object.go findObjectByBucketAndKey (HeadObject)"},
			{"s3:GetObjectTagging", read, ScopeObjects, "tf s3/object.go resourceObjectRead (tags)"},
			{"s3:DeleteObject", del, ScopeObjects, "tf s3/object.go resourceObjectDelete deleteObjectVersion"},
			{"s3:DeleteObjectVersion", del, ScopeObjects, "tf s3/object.go resourceObjectDelete deleteAllObjectVersions"},
			{"s3:ListBucketVersions", del, ScopeBucket, "tf s3/object.go resourceObjectDelete deleteAllObjectVersions"},
			// SSE-KMS: S3 asks KMS for a data key on upload, and a multipart
			// upload also needs kms:Decrypt (Amazon S3 User Guide,
			// "Using server-side encryption with AWS KMS keys", permissions).
			{"kms:GenerateDataKey", cu, ScopeKeyViaS3, "S3 User Guide, SSE-KMS permissions (PutObject)"},
			{"kms:Decrypt", cu, ScopeKeyViaS3, "S3 User Guide, SSE-KMS permissions (multipart upload)"},
		},
		TypeTrail: {
			{"cloudtrail:CreateTrail", create, ScopeTrail, "tf cloudtrail/trail.go resourceTrailCreate"},
			// CreateTrail's TagsList and transparent tagging on update.
			{"cloudtrail:AddTags", cu, ScopeTrail, "tf cloudtrail/trail.go resourceTrailCreate (TagsList); tags_gen.go updateTags"},
			{"cloudtrail:RemoveTags", update, ScopeTrail, "tf cloudtrail/tags_gen.go updateTags"},
			{"cloudtrail:ListTags", read, ScopeTrail, "tf cloudtrail/tags_gen.go listTags (read)"},
			{"cloudtrail:StartLogging", cu, ScopeTrail, "tf cloudtrail/trail.go setLogging"},
			// No cloudtrail:StopLogging: the provider calls it only on an
			// update that turns enable_logging off (tf cloudtrail/trail.go
			// resourceTrailUpdate, setLogging(false)), the program always
			// sets enableLogging true, and resourceTrailDelete calls only
			// DeleteTrail.
			// Basic and advanced event selectors both go through PutEventSelectors.
			{"cloudtrail:PutEventSelectors", cu, ScopeTrail, "tf cloudtrail/trail.go setEventSelectors, setAdvancedEventSelectors"},
			{"cloudtrail:PutInsightSelectors", cu, ScopeTrail, "tf cloudtrail/trail.go setInsightSelectors"},
			{"cloudtrail:UpdateTrail", update, ScopeTrail, "tf cloudtrail/trail.go resourceTrailUpdate"},
			{"cloudtrail:GetTrailStatus", read, ScopeTrail, "tf cloudtrail/trail.go resourceTrailRead GetTrailStatus"},
			{"cloudtrail:GetEventSelectors", read, ScopeTrail, "tf cloudtrail/trail.go resourceTrailRead GetEventSelectors"},
			{"cloudtrail:GetInsightSelectors", read, ScopeTrail, "tf cloudtrail/trail.go resourceTrailRead GetInsightSelectors"},
			{"cloudtrail:DeleteTrail", del, ScopeTrail, "tf cloudtrail/trail.go resourceTrailDelete"},
			{"cloudtrail:DescribeTrails", read, ScopeCloudTrailList, "tf cloudtrail/trail.go findTrailByARN (DescribeTrails)"},
		},
		// sts:GetCallerIdentity needs no permission and cannot be denied
		// (AWS STS API Reference, GetCallerIdentity).
		CallCallerIdentity: {{"", invoke, ScopeNone, "STS API Reference, GetCallerIdentity: no permissions are required"}},
		// Both answer from the provider's Region and the SDK's endpoints
		// data, without an API call.
		CallPartition: {{"", invoke, ScopeNone, "tf meta/partition_data_source.go Read: endpoints data"}},
		CallRegion:    {{"", invoke, ScopeNone, "tf meta/region_data_source.go Read: FindRegionByName, endpoints data"}},
		CallSessionContext: {
			{"iam:GetRole", invoke, ScopeDeployerRole, "tf iam/session_context_data_source.go dataSourceSessionContextRead findRoleByName (assumed-role ARN only)"},
		},
	}
}

// actionsByScope collects the distinct actions of every table entry, by
// scope, sorted.
func actionsByScope(table map[string][]DeployerAction, skip func(token string) bool) map[Scope][]string {
	out := map[Scope][]string{}
	for token, actions := range table {
		if skip(token) {
			continue
		}
		for _, a := range actions {
			if a.Scope == ScopeNone || slices.Contains(out[a.Scope], a.Action) {
				continue
			}
			out[a.Scope] = append(out[a.Scope], a.Action)
		}
	}
	for s := range out {
		slices.Sort(out[s])
	}
	return out
}
