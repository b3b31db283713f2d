package awsclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Error is a failure labctl reports as one line: what it looked for, what
// went wrong and what to do about it. Err keeps the cause for errors.Is/As.
type Error struct {
	Msg string
	Err error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// Kind sorts AWS failures into the cases a user acts on differently.
type Kind int

// The kinds of failure Explain recognises.
const (
	KindOther Kind = iota
	KindNotFound
	KindAccessDenied
	KindBadCredentials
	KindWrongRegion
	KindUnreachable
)

// Target describes what a failed call was about, for the message.
type Target struct {
	What     string // e.g. `KMS key 1234abcd-...`
	Region   string
	Account  string
	Caller   string // the caller's ARN, when known
	Endpoint string
}

// Classify says which kind of failure err is.
func Classify(err error) Kind {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "NotFoundException", "NoSuchBucket", "NoSuchKey", "NotFound",
			"TrailNotFoundException", "NoSuchBucketPolicy", "NoSuchPublicAccessBlockConfiguration",
			"OwnershipControlsNotFoundError", "ServerSideEncryptionConfigurationNotFoundError",
			"InsightNotEnabledException", "NoSuchEntity":
			return KindNotFound
		case "AccessDenied", "AccessDeniedException", "AllAccessDisabled", "UnauthorizedOperation", "Forbidden":
			return KindAccessDenied
		case "UnrecognizedClientException", "InvalidClientTokenId", "InvalidAccessKeyId",
			"SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "InvalidSignatureException":
			return KindBadCredentials
		case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException":
			return KindWrongRegion
		}
	}
	var respErr *smithyhttp.ResponseError
	if errors.As(err, &respErr) {
		switch respErr.HTTPStatusCode() {
		case 404:
			return KindNotFound
		case 403:
			return KindAccessDenied
		case 301:
			return KindWrongRegion
		}
	}
	var netErr net.Error
	var urlErr *url.Error
	if errors.As(err, &netErr) || errors.As(err, &urlErr) {
		return KindUnreachable
	}
	return KindOther
}

// Explain turns an SDK error into an *Error with one line that names what was
// looked for and what to do. It never includes a stack trace or the SDK's
// multi-line request dump.
func Explain(err error, t Target) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return &Error{Err: err, Msg: "interrupted"}
	}
	var mine *Error
	if errors.As(err, &mine) {
		return err
	}
	op := operation(err)
	where := t.Region
	if t.Account != "" {
		where = fmt.Sprintf("account %s, %s", t.Account, t.Region)
	}
	var msg string
	switch Classify(err) {
	case KindNotFound:
		msg = fmt.Sprintf("%s not found (%s): check that the outputs belong to this account and region (`pulumi stack select`), or run `pulumi up`", t.What, where)
	case KindAccessDenied:
		who := ""
		if t.Caller != "" {
			who = " for " + t.Caller
		}
		msg = fmt.Sprintf("access denied%s on %s reading %s (%s): use the lab account's administrator profile (--profile) or grant %s", who, op, t.What, where, op)
	case KindBadCredentials:
		msg = fmt.Sprintf("AWS rejected the credentials while reading %s (%s): %s; refresh them (`aws configure`, `aws sso login`) or pick another profile (--profile)", t.What, op, apiMessage(err))
	case KindWrongRegion:
		msg = fmt.Sprintf("%s is not in region %s (%s): pass the stack's region, or drop --region", t.What, t.Region, apiMessage(err))
	case KindUnreachable:
		target := "AWS"
		if t.Endpoint != "" {
			target = t.Endpoint
		}
		msg = fmt.Sprintf("cannot reach %s while reading %s: %s; check the network or --endpoint-url", target, t.What, rootCause(err))
	default:
		msg = fmt.Sprintf("reading %s failed (%s): %s", t.What, op, apiMessage(err))
	}
	return &Error{Err: err, Msg: msg}
}

// operation names the failed call IAM-style, e.g. kms:DescribeKey, which is
// also the permission a policy must grant.
func operation(err error) string {
	var opErr *smithy.OperationError
	if !errors.As(err, &opErr) {
		return "the request"
	}
	if opErr.ServiceID == "S3 Control" && opErr.OperationName == "GetPublicAccessBlock" {
		return "s3:GetAccountPublicAccessBlock" // the account-level switch's own action
	}
	prefix := map[string]string{"KMS": "kms", "S3": "s3", "S3 Control": "s3", "CloudTrail": "cloudtrail", "STS": "sts", "IAM": "iam"}[opErr.ServiceID]
	if prefix == "" {
		prefix = strings.ToLower(opErr.ServiceID)
	}
	return prefix + ":" + iamAction(opErr.OperationName)
}

// iamAction maps the S3 API names whose IAM action differs.
func iamAction(op string) string {
	switch op {
	case "HeadObject":
		return "GetObject"
	case "ListObjectsV2":
		return "ListBucket"
	case "HeadBucket":
		return "ListBucket"
	case "GetBucketOwnershipControls":
		return "GetBucketOwnershipControls"
	case "GetPublicAccessBlock":
		return "GetBucketPublicAccessBlock"
	case "GetBucketEncryption":
		return "GetEncryptionConfiguration"
	}
	return op
}

func apiMessage(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		if m := apiErr.ErrorMessage(); m != "" {
			return apiErr.ErrorCode() + ": " + firstLine(m)
		}
		return apiErr.ErrorCode()
	}
	return rootCause(err)
}

func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return firstLine(err.Error())
		}
		err = next
	}
}

// OneLine keeps the promise of one line per error even when a message (a
// library's, or a list of config problems) spans several.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
