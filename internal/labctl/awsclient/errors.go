package awsclient

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
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
	// KindThrottled: AWS kept answering "slow down" (S3's 503 SlowDown,
	// ThrottlingException, Throttling) through every retry.
	KindThrottled
	// KindServerError: AWS kept failing with a 5xx through every retry.
	KindServerError
	// KindTimeout: no answer within an attempt's or a call's time.
	KindTimeout
	// KindUnsupported: the endpoint answered with something that is not
	// an AWS response, as an emulator does for an API it lacks (moto's
	// HTML page for cloudtrail:LookupEvents).
	KindUnsupported
)

// ReadFailed reports whether k is a read that did not answer, rather than
// an answer: such a failure says nothing about the account, so a check
// it stops is unknown, never fail. Only KindNotFound is an answer.
func (k Kind) ReadFailed() bool { return k != KindNotFound }

// Transient reports whether k may go away by itself: try again later.
func (k Kind) Transient() bool {
	return k == KindThrottled || k == KindServerError || k == KindTimeout || k == KindUnreachable
}

// throttleCodes are the error codes AWS uses for "too many requests": S3
// answers HTTP 503 SlowDown (Amazon S3 API Reference, "Error responses"),
// KMS and CloudTrail 400 ThrottlingException (AWS KMS and AWS CloudTrail
// API References, "Common Errors"), IAM and STS 400 Throttling (IAM and
// STS API References, "Common Errors"); the rest are the SDK's own list
// (aws/retry DefaultThrottleErrorCodes) without LimitExceededException,
// which KMS uses for quotas that waiting does not lift.
var throttleCodes = map[string]bool{
	"Throttling": true, "ThrottlingException": true, "ThrottledException": true, "RequestThrottledException": true,
	"TooManyRequestsException": true, "ProvisionedThroughputExceededException": true, "RequestLimitExceeded": true,
	"BandwidthLimitExceeded": true, "RequestThrottled": true, "SlowDown": true, "PriorRequestNotComplete": true,
	"EC2ThrottledException": true,
}

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
	var be *BudgetError
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &be) {
		return KindTimeout
	}
	var de *smithy.DeserializationError
	if errors.As(err, &de) {
		return KindUnsupported
	}
	var respErr *smithyhttp.ResponseError
	if errors.As(err, &respErr) && respErr.HTTPStatusCode() == 503 {
		// 503 is S3's SlowDown, and AWS's "Service Unavailable": both ask
		// the caller to slow down. S3 answers a HEAD without a body, which
		// the SDK names ServiceUnavailable.
		return KindThrottled
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		if throttleCodes[apiErr.ErrorCode()] {
			return KindThrottled
		}
		switch apiErr.ErrorCode() {
		case "RequestTimeout", "RequestTimeoutException":
			return KindTimeout
		case "InternalError", "InternalFailure", "ServiceUnavailable", "KMSInternalException", "DependencyTimeoutException":
			return KindServerError
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
	if respErr != nil {
		switch respErr.HTTPStatusCode() {
		case 404:
			return KindNotFound
		case 403:
			return KindAccessDenied
		case 301:
			return KindWrongRegion
		case 429:
			return KindThrottled
		}
		if respErr.HTTPStatusCode() >= 500 {
			return KindServerError
		}
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return KindTimeout
	}
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
	case KindThrottled:
		msg = fmt.Sprintf("AWS throttled this read of %s (%s: %s, after %s); retry in a minute", t.What, op, apiMessage(err), attempts(err))
	case KindServerError:
		msg = fmt.Sprintf("AWS failed this read of %s with a server error (%s: %s, after %s); retry in a few minutes", t.What, op, serverError(err), attempts(err))
	case KindTimeout:
		msg = timeoutMessage(err, t, op)
	case KindUnsupported:
		target := "this endpoint"
		if t.Endpoint != "" {
			target = "this endpoint (" + t.Endpoint + ")"
		}
		msg = fmt.Sprintf("%s is not supported by %s: it answered %s for %s with a body that is not an AWS response", op, target, statusText(err), t.What)
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

// attempts says how many attempts a call made, as the SDK's retryer
// records them.
func attempts(err error) string {
	var maxErr *retry.MaxAttemptsError
	if errors.As(err, &maxErr) {
		if maxErr.Attempt == 1 {
			return "1 attempt"
		}
		return fmt.Sprintf("%d attempts", maxErr.Attempt)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "the call's time budget"
	}
	return "its retries"
}

// serverError names a 5xx: its error code, or its HTTP status.
func serverError(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiMessage(err)
	}
	return statusText(err)
}

func statusText(err error) string {
	var respErr *smithyhttp.ResponseError
	if errors.As(err, &respErr) {
		return fmt.Sprintf("HTTP %d", respErr.HTTPStatusCode())
	}
	return "an answer"
}

// timeoutMessage names the endpoint that did not answer and the time it
// was given, and says when a read was not sent at all because the endpoint
// never answered this account's earlier call.
func timeoutMessage(err error, t Target, op string) string {
	var be *BudgetError
	if !errors.As(err, &be) {
		return fmt.Sprintf("this read of %s timed out (%s, after %s); retry in a few minutes", t.What, op, attempts(err))
	}
	endpoint := be.Endpoint
	if endpoint == "" {
		endpoint = cmp.Or(t.Endpoint, "AWS")
	}
	hint := "retry in a few minutes"
	if t.Endpoint != "" {
		hint = "check that --endpoint-url is the emulator's address and that it is running, or " + hint
	}
	switch {
	case be.NotSent:
		return fmt.Sprintf("this read of %s was not sent (%s): %s did not answer an earlier call of this account within the %s labctl gives one call, so its other reads are not waited for; %s",
			t.What, op, endpoint, be.Budget, hint)
	case be.NoAnswer:
		return fmt.Sprintf("this read of %s timed out (%s): %s did not answer at all (after %s, within the %s labctl gives one call); %s",
			t.What, op, endpoint, attempts(err), be.Budget, hint)
	}
	return fmt.Sprintf("this read of %s timed out (%s): %s did not finish it (after %s, within the %s labctl gives one call); %s",
		t.What, op, endpoint, attempts(err), be.Budget, hint)
}
