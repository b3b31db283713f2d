// Package labnames names what the lab program registers: its components'
// type tokens, the names the program gives them, and the AWS resources each
// holds. The program (components, internal/labstack) registers its resources
// under these names, and labctl preflight writes `pulumi import` commands
// from them without linking the program and the AWS provider's SDK. It also
// holds the lab guide's own names, which the stack's config defaults to and
// labctl check grades against, so the two cannot drift apart.
package labnames

// The lab guide's names and values ("Introduction to AWS Key Management
// Service", task 1 step 5 and task 2 step 4).
const (
	GuideAlias          = "myFirstKey"
	GuideKeyDescription = "KMS Key for S3 data"
	GuideTrail          = "myTrail"
	GuideBucketPrefix   = "mycloudtrailbucket"
)

// Type tokens of the components, as they appear in URNs and plans.
const (
	EncryptionKeyType = "kms-lab:kms:EncryptionKey"
	TrailBucketType   = "kms-lab:s3:TrailBucket"
	AuditTrailType    = "kms-lab:cloudtrail:AuditTrail"
	LabImageType      = "kms-lab:s3:LabImage"
)

// The names the program gives its components; each child of a component
// carries its component's name.
const (
	Key    = "lab-key"
	Bucket = "trail-bucket"
	Trail  = "audit-trail"
	Image  = "lab-image"
)

// Resource is one AWS resource the program registers: the provider's type
// token, the resource's name, and the type of the component it lives in.
type Resource struct {
	Type          string
	Name          string
	ComponentType string
}

// Resources lists every AWS resource the program registers, in a fixed order.
func Resources() []Resource {
	return []Resource{
		{"aws:kms/key:Key", Key, EncryptionKeyType},
		{"aws:kms/alias:Alias", Key, EncryptionKeyType},
		{"aws:s3/bucketV2:BucketV2", Bucket, TrailBucketType},
		{"aws:s3/bucketOwnershipControls:BucketOwnershipControls", Bucket, TrailBucketType},
		{"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", Bucket, TrailBucketType},
		{"aws:s3/bucketPolicy:BucketPolicy", Bucket, TrailBucketType},
		{"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", Bucket, TrailBucketType},
		{"aws:cloudtrail/trail:Trail", Trail, AuditTrailType},
		{"aws:s3/bucketObjectv2:BucketObjectv2", Image, LabImageType},
	}
}

// ParentURN is the URN of the resource's component in a stack of project,
// as the engine builds it for a component registered under the stack:
// urn:pulumi:<stack>::<project>::<type>::<name>.
func (r Resource) ParentURN(project, stack string) string {
	return "urn:pulumi:" + stack + "::" + project + "::" + r.ComponentType + "::" + r.Name
}
