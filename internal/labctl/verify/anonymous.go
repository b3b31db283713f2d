package verify

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/report"
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

// anonymousRetry bounds the anonymous GET's retries of S3's 503 SlowDown
// and other 5xx: the same attempts and waits as every other call labctl
// makes (awsclient.DefaultRetry).
type anonymousRetry struct {
	attempts   int
	maxBackoff time.Duration
}

func defaultAnonymousRetry() anonymousRetry {
	d := awsclient.DefaultRetry()
	return anonymousRetry{attempts: d.MaxAttempts, maxBackoff: d.MaxBackoff}
}

// anonymousGetCheck fetches url without credentials, as a browser would.
func anonymousGetCheck(ctx context.Context, client *http.Client, url string, public bool) Check {
	return defaultAnonymousRetry().check(ctx, client, url, public)
}

func (r anonymousRetry) check(ctx context.Context, client *http.Client, url string, public bool) Check {
	const name = "object.anonymous-get"
	expected := anonymousExpectation(public)
	for attempt := 1; ; attempt++ {
		status, body, err := anonymousGet(ctx, client, url)
		if err != nil {
			// Nothing was seen: the GET is not a verdict.
			return Check{Name: name, Status: report.Unknown, Expected: expected,
				Observed: fmt.Sprintf("could not GET %s: %s; retry in a few minutes", url, err)}
		}
		if status < 500 {
			return interpretAnonymousGet(status, body, public)
		}
		if attempt >= r.attempts {
			what := "failed the anonymous GET with HTTP " + strconv.Itoa(status)
			if status == http.StatusServiceUnavailable {
				// S3's SlowDown (Amazon S3 API Reference, "Error responses").
				what = "throttled the anonymous GET (HTTP 503 SlowDown)"
			}
			return Check{Name: name, Status: report.Unknown, Expected: expected,
				Observed: fmt.Sprintf("AWS %s %d times; retry in a minute", what, attempt)}
		}
		// Full jitter, as the SDK's retryer waits after a throttle.
		wait := time.Duration(rand.Float64() * float64(min(time.Second<<(attempt-1), r.maxBackoff)))
		select {
		case <-ctx.Done():
			return Check{Name: name, Status: report.Unknown, Expected: expected, Observed: "interrupted"}
		case <-time.After(wait):
		}
	}
}

// anonymousGet makes one unsigned GET and reads the start of the answer.
func anonymousGet(ctx context.Context, client *http.Client, url string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, fmt.Errorf("bad object URL %q: %w", url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	// An error document is small; an image that is (wrongly) served need not
	// be read whole to know it was served.
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, body, nil
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
		c.Status, c.Cause = report.Fail, CauseServedAnonymously
		c.Observed = fmt.Sprintf("HTTP %d: the object was served to an anonymous caller (%d bytes read)", status, len(body))
	case status == http.StatusBadRequest && strings.Contains(e.Message, sigV4Message):
		c.Status = report.Pass
		c.Observed = "refused: " + answer
	case status == http.StatusForbidden && public:
		// Refused, so nothing leaks, but for the wrong reason: the ACL does
		// not make the object public, and the lab's step shows Access Denied
		// instead of the Signature Version 4 message.
		c.Status, c.Cause = report.Warn, CauseRefusedByAccessControl
		c.Observed = "refused by access control, not by SSE-KMS: " + answer
	case status == http.StatusForbidden:
		c.Status = report.Pass
		c.Observed = "refused: " + answer
	default:
		c.Status = report.Fail
		c.Observed = "unexpected answer: " + answer
	}
	return c
}
