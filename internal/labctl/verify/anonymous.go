package verify

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/report"
)

// sigV4Message is what S3 answers, with HTTP 400, to an unsigned GET of an
// SSE-KMS object: the message lab task 4 tells students to expect.
const sigV4Message = "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4"

func anonymousExpectation(public bool) string {
	if public {
		return "refused: HTTP 400 InvalidArgument " + sigV4Message
	}
	return "refused: HTTP 403 AccessDenied or HTTP 400 " + sigV4Message
}

// interpretAnonymousGet judges S3's answer to the anonymous GET.
func interpretAnonymousGet(a account.AnonymousAnswer, public bool) Check {
	c := Check{Name: "object.anonymous-get", Expected: anonymousExpectation(public)}
	answer := fmt.Sprintf("HTTP %d", a.Status)
	if a.Code != "" {
		answer += " " + a.Code
	}
	if a.Message != "" {
		answer += ": " + a.Message
	}
	switch {
	case a.Status >= 200 && a.Status < 300:
		c.Status, c.Cause = report.Fail, CauseServedAnonymously
		c.Observed = fmt.Sprintf("HTTP %d: the object was served to an anonymous caller (%d bytes read)", a.Status, a.Bytes)
	case a.Status == http.StatusBadRequest && strings.Contains(a.Message, sigV4Message):
		c.Status = report.Pass
		c.Observed = "refused: " + answer
	case a.Status == http.StatusForbidden && public:
		// Refused, so nothing leaks, but for the wrong reason: the ACL does
		// not make the object public, and the lab's step shows Access Denied
		// instead of the Signature Version 4 message.
		c.Status, c.Cause = report.Warn, CauseRefusedByAccessControl
		c.Observed = "refused by access control, not by SSE-KMS: " + answer
	case a.Status == http.StatusForbidden:
		c.Status = report.Pass
		c.Observed = "refused: " + answer
	default:
		c.Status = report.Fail
		c.Observed = "unexpected answer: " + answer
	}
	return c
}
