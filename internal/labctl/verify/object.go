package verify

import (
	"strings"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

const allUsers = "http://acs.amazonaws.com/groups/global/AllUsers"

func (j judge) objectChecks() []Check {
	o, img := j.o, j.s.Image
	what := "object s3://" + o.BucketName + "/" + o.ObjectKey
	if !img.Head.OK() {
		return []Check{field(img.Head, "object.encryption", expectedSSE(o),
			func() Check { return j.notFound("object.encryption", expectedSSE(o), what) }, nil)}
	}
	checks := []Check{objectEncryptionCheck(img.Head.Value, o)}
	expected := expectedACL(o.PublicObjectACL)
	checks = append(checks, field(img.ACL, "object.acl", expected,
		func() Check { return j.notFound("object.acl", expected, "ACL of "+what) },
		func(grants []account.Grant) Check {
			c := compare("object.acl", expected, describeACL(grants))
			if c.Status == report.Fail {
				c.Cause = aclCause(grants)
			}
			return c
		}))
	expectedGet := anonymousExpectation(o.PublicObjectACL)
	return append(checks, field(img.Anonymous, "object.anonymous-get", expectedGet,
		func() Check { return unread("object.anonymous-get", expectedGet, nil) },
		func(a account.AnonymousAnswer) Check { return interpretAnonymousGet(a, o.PublicObjectACL) }))
}

func expectedSSE(o *stackout.Outputs) string {
	return "aws:kms with " + o.KeyARN
}

// objectEncryptionCheck accepts the key in either form: AWS reports the key
// ARN, some emulators and older objects the bare key ID.
func objectEncryptionCheck(h account.ObjectHead, o *stackout.Outputs) Check {
	c := Check{Name: "object.encryption", Expected: expectedSSE(o)}
	keyID := h.KMSKeyID
	c.Observed = h.Encryption
	if c.Observed == "" {
		c.Observed = "no server-side encryption"
	}
	if keyID != "" {
		c.Observed += " with " + keyID
	}
	sameKey := keyID == o.KeyARN || keyID == o.KeyID ||
		(strings.HasPrefix(keyID, "arn:") && strings.HasSuffix(keyID, ":key/"+o.KeyID))
	switch {
	case h.Encryption != sseKMS || !sameKey:
		c.Status = report.Fail
		c.Cause = encryptionCause(h.Encryption)
	case h.BucketKeyEnabled:
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

func describeACL(grants []account.Grant) string {
	var perms []string
	for _, g := range grants {
		if g.Grantee == allUsers {
			perms = append(perms, g.Permission)
		}
	}
	switch {
	case len(perms) == 0:
		return expectedACL(false)
	case len(perms) == 1 && perms[0] == "READ":
		return expectedACL(true)
	default:
		return "AllUsers " + strings.Join(perms, ", ")
	}
}
