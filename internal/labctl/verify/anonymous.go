package verify

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// sigV4Message is what S3 answers, with HTTP 400, to an unsigned GET of an
// SSE-KMS object: the message lab task 4 tells students to expect.
const sigV4Message = "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4"

// s3Error is S3's XML error document.
type s3Error struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

func anonymousExpectation(public bool) string {
	if public {
		return "refused: HTTP 400 InvalidArgument " + sigV4Message
	}
	return "refused: HTTP 403 AccessDenied or HTTP 400 " + sigV4Message
}

// anonymousGetCheck fetches url without credentials, as a browser would.
func anonymousGetCheck(ctx context.Context, client *http.Client, url string, public bool) Check {
	const name = "object.anonymous-get"
	expected := anonymousExpectation(public)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return failed(name, expected, fmt.Sprintf("bad object URL %q: %v", url, err))
	}
	resp, err := client.Do(req)
	if err != nil {
		return failed(name, expected, fmt.Sprintf("could not GET %s: %v", url, err))
	}
	defer resp.Body.Close()
	// An error document is small; an image that is (wrongly) served need not
	// be read whole to know it was served.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return interpretAnonymousGet(resp.StatusCode, body, public)
}

// interpretAnonymousGet judges S3's answer to the anonymous GET.
func interpretAnonymousGet(status int, body []byte, public bool) Check {
	c := Check{Name: "object.anonymous-get", Expected: anonymousExpectation(public)}
	var e s3Error
	_ = xml.Unmarshal(body, &e) // a non-XML body leaves e empty, which is reported as is
	answer := fmt.Sprintf("HTTP %d", status)
	if e.Code != "" {
		answer += " " + e.Code
	}
	if e.Message != "" {
		answer += ": " + e.Message
	}
	switch {
	case status >= 200 && status < 300:
		c.Status = StatusFail
		c.Observed = fmt.Sprintf("HTTP %d: the object was served to an anonymous caller (%d bytes read)", status, len(body))
	case status == http.StatusBadRequest && strings.Contains(e.Message, sigV4Message):
		c.Status = StatusOK
		c.Observed = "refused: " + answer
	case status == http.StatusForbidden && public:
		// Refused, so nothing leaks, but for the wrong reason: the ACL does
		// not make the object public, and the lab's step shows Access Denied
		// instead of the Signature Version 4 message.
		c.Status = StatusWarn
		c.Observed = "refused by access control, not by SSE-KMS: " + answer
	case status == http.StatusForbidden:
		c.Status = StatusOK
		c.Observed = "refused: " + answer
	default:
		c.Status = StatusFail
		c.Observed = "unexpected answer: " + answer
	}
	return c
}
