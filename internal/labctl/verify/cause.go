package verify

import "github.com/kms-lab/kms-lab/internal/labctl/account"

// The causes that verify tells apart by the value it saw, for the checks
// whose fix depends on that value (report.Check's Cause). Every other
// check's cause is its name. They are decided here, from AWS's answer,
// so that check's hints and the class page's groups never read them back
// out of the Observed text.
const (
	CauseSSES3                  = "object.encryption=sse-s3"            // ServerSideEncryption AES256
	CauseOtherKMSKey            = "object.encryption=other-kms-key"     // aws:kms, another key
	CauseNoSSE                  = "object.encryption=none"              // no server-side encryption
	CauseAdvancedSelectors      = "trail.event-selectors=advanced"      // where basic ones were expected
	CauseACLBeyondRead          = "object.acl=beyond-read"              // AllUsers may do more than READ
	CauseServedAnonymously      = "object.anonymous-get=served"         // S3 served the image unsigned
	CauseRefusedByAccessControl = "object.anonymous-get=access-control" // 403, not SSE-KMS's 400
)

// The x-amz-server-side-encryption values (Amazon S3 API Reference,
// HeadObject).
const (
	sseS3  = "AES256"
	sseKMS = "aws:kms"
)

// encryptionCause is the cause of an object.encryption that fails; ""
// (the check's name) for another algorithm, such as DSSE-KMS.
func encryptionCause(sse string) string {
	switch sse {
	case sseS3:
		return CauseSSES3
	case sseKMS:
		return CauseOtherKMSKey // the lab's key would have passed
	case "":
		return CauseNoSSE
	}
	return ""
}

// aclCause is the cause of an object.acl that fails: AllUsers granted
// more than READ, else the check's name (not public, or public where the
// stack keeps the image private).
func aclCause(grants []account.Grant) string {
	for _, g := range grants {
		if g.Grantee == allUsers && g.Permission != "READ" {
			return CauseACLBeyondRead
		}
	}
	return ""
}
