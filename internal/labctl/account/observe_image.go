package account

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// observeImage reads the image's head and ACL and makes the anonymous GET
// of lab task 4.
func (o *Observer) observeImage(ctx context.Context, s *Snapshot) {
	img := &s.Image
	if img.Bucket == "" || img.Key == "" {
		return
	}
	c := o.Clients.S3
	bucket, key := aws.String(img.Bucket), aws.String(img.Key)
	what := "object s3://" + img.Bucket + "/" + img.Key
	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: bucket, Key: key})
	if err != nil {
		img.Head = failField[ObjectHead](o, err, what)
		return
	}
	img.Head = Value(HeadOf(head))
	if acl, err := c.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: bucket, Key: key}); err != nil {
		img.ACL = failField[[]Grant](o, err, "ACL of "+what)
	} else {
		img.ACL = Value(GrantsOf(acl.Grants))
	}
	http := o.HTTP
	if http == nil {
		http = NewHTTPClient()
	}
	u := ObjectURL(o.Clients.Endpoint, s.Names.ObjectURL, img.Bucket, img.Key, o.Clients.Region)
	img.Anonymous = DefaultAnonymousRetry().GetAnonymously(ctx, http, u, o.now)
}

// errorCode is the AWS error code of err, "" when it has none.
func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// HeadOf is what the snapshot keeps of HeadObject's answer.
func HeadOf(head *s3.HeadObjectOutput) ObjectHead {
	return ObjectHead{Encryption: string(head.ServerSideEncryption), KMSKeyID: aws.ToString(head.SSEKMSKeyId),
		BucketKeyEnabled: aws.ToBool(head.BucketKeyEnabled), LastModified: aws.ToTime(head.LastModified).UTC(), Size: aws.ToInt64(head.ContentLength)}
}

// GrantsOf is what the snapshot keeps of an ACL's grants: each grantee by
// its group URI, else its canonical ID, else its email.
func GrantsOf(grants []s3types.Grant) []Grant {
	out := []Grant{}
	for _, g := range grants {
		gr := Grant{Permission: string(g.Permission)}
		if g.Grantee != nil {
			gr.Type = string(g.Grantee.Type)
			gr.Grantee = aws.ToString(g.Grantee.URI)
			if gr.Grantee == "" {
				gr.Grantee = aws.ToString(g.Grantee.ID)
			}
			if gr.Grantee == "" {
				gr.Grantee = aws.ToString(g.Grantee.EmailAddress)
			}
		}
		out = append(out, gr)
	}
	return out
}
