package verify

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

const allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"

func (v *Verifier) objectChecks(ctx context.Context) []Check {
	o := v.Outputs
	what := "object s3://" + o.BucketName + "/" + o.ObjectKey
	head, err := v.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(o.BucketName), Key: aws.String(o.ObjectKey)})
	if err != nil {
		return []Check{v.apiFailed("object.encryption", expectedSSE(o), err, what)}
	}
	checks := []Check{objectEncryptionCheck(head, o)}

	acl, err := v.S3.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: aws.String(o.BucketName), Key: aws.String(o.ObjectKey)})
	if err != nil {
		checks = append(checks, v.apiFailed("object.acl", expectedACL(o.PublicObjectACL), err, "ACL of "+what))
	} else {
		c := compare("object.acl", expectedACL(o.PublicObjectACL), describeACL(acl.Grants))
		if c.Status == report.Fail {
			c.Cause = aclCause(acl.Grants)
		}
		checks = append(checks, c)
	}
	return append(checks, anonymousGetCheck(ctx, v.HTTP, v.objectURL(), o.PublicObjectACL))
}

func expectedSSE(o *stackout.Outputs) string {
	return "aws:kms with " + o.KeyARN
}

// objectEncryptionCheck accepts the key in either form: AWS reports the key
// ARN, some emulators and older objects the bare key ID.
func objectEncryptionCheck(h *s3.HeadObjectOutput, o *stackout.Outputs) Check {
	c := Check{Name: "object.encryption", Expected: expectedSSE(o)}
	keyID := aws.ToString(h.SSEKMSKeyId)
	c.Observed = string(h.ServerSideEncryption)
	if c.Observed == "" {
		c.Observed = "no server-side encryption"
	}
	if keyID != "" {
		c.Observed += " with " + keyID
	}
	sameKey := keyID == o.KeyARN || keyID == o.KeyID ||
		(strings.HasPrefix(keyID, "arn:") && strings.HasSuffix(keyID, ":key/"+o.KeyID))
	switch {
	case h.ServerSideEncryption != s3types.ServerSideEncryptionAwsKms || !sameKey:
		c.Status = report.Fail
		c.Cause = encryptionCause(h.ServerSideEncryption)
	case aws.ToBool(h.BucketKeyEnabled):
		// Still encrypted under the key, but KMS then sees the bucket, not
		// the object, and lab task 5's search for the image name fails.
		c.Status = report.Warn
		c.Observed += ", S3 Bucket Key on (KMS events name the bucket, not the image)"
	default:
		c.Status = report.Pass
	}
	return c
}

func expectedACL(public bool) string {
	if public {
		return "public-read (AllUsers READ)"
	}
	return "private (no AllUsers grant)"
}

func describeACL(grants []s3types.Grant) string {
	var perms []string
	for _, g := range grants {
		if g.Grantee != nil && aws.ToString(g.Grantee.URI) == allUsers {
			perms = append(perms, string(g.Permission))
		}
	}
	switch {
	case len(perms) == 0:
		return expectedACL(false)
	case len(perms) == 1 && perms[0] == string(s3types.PermissionRead):
		return expectedACL(true)
	default:
		return "AllUsers " + strings.Join(perms, ", ")
	}
}
