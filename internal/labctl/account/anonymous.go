package account

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// AnonymousRetry bounds the anonymous GET's retries of S3's 503 SlowDown
// and other 5xx: by default the same attempts and waits as every other
// call labctl makes (awsclient.DefaultRetry).
type AnonymousRetry struct {
	Attempts   int
	MaxBackoff time.Duration
}

// DefaultAnonymousRetry is awsclient.DefaultRetry's bounds.
func DefaultAnonymousRetry() AnonymousRetry {
	d := awsclient.DefaultRetry()
	return AnonymousRetry{Attempts: d.MaxAttempts, MaxBackoff: d.MaxBackoff}
}

// s3Error is S3's XML error document.
type s3Error struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// GetAnonymously fetches url without credentials, as a browser would, and
// records S3's answer. A GET that got no answer, or only 5xx through every
// retry, is a read error, not an answer.
func (r AnonymousRetry) GetAnonymously(ctx context.Context, client *http.Client, url string, now func() time.Time) Field[AnonymousAnswer] {
	for attempt := 1; ; attempt++ {
		ans, err := anonymousGet(ctx, client, url)
		if err != nil {
			return FailedWith[AnonymousAnswer](&ReadError{Kind: Unreachable, At: now(),
				Message: fmt.Sprintf("could not GET %s: %s; retry in a few minutes", url, err)})
		}
		if ans.Status < 500 {
			return Value(ans)
		}
		if attempt >= r.Attempts {
			what, kind := "failed the anonymous GET with HTTP "+strconv.Itoa(ans.Status), ServerError
			if ans.Status == http.StatusServiceUnavailable {
				// S3's SlowDown (Amazon S3 API Reference, "Error responses").
				what, kind = "throttled the anonymous GET (HTTP 503 SlowDown)", Throttled
			}
			return FailedWith[AnonymousAnswer](&ReadError{Kind: kind, At: now(),
				Message: fmt.Sprintf("AWS %s %d times; retry in a minute", what, attempt)})
		}
		// Full jitter, as the SDK's retryer waits after a throttle.
		wait := time.Duration(rand.Float64() * float64(min(time.Second<<(attempt-1), r.MaxBackoff)))
		select {
		case <-ctx.Done():
			return FailedWith[AnonymousAnswer](&ReadError{Kind: OtherError, At: now(), Message: "interrupted"})
		case <-time.After(wait):
		}
	}
}

// anonymousGet makes one unsigned GET and reads the start of the answer:
// an error document is small, and an image that is (wrongly) served need
// not be read whole to know it was served. The body is not kept.
func anonymousGet(ctx context.Context, client *http.Client, u string) (AnonymousAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return AnonymousAnswer{}, fmt.Errorf("bad object URL %q: %w", u, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return AnonymousAnswer{}, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return AnswerOf(u, resp.StatusCode, body), nil
}

// AnswerOf is what the snapshot keeps of S3's answer to the anonymous GET:
// the status, the error document's code and message, and of a served
// object only how many bytes were read.
func AnswerOf(u string, status int, body []byte) AnonymousAnswer {
	ans := AnonymousAnswer{URL: u, Status: status}
	if status >= 200 && status < 300 {
		ans.Bytes = len(body)
		return ans
	}
	var e s3Error
	_ = xml.Unmarshal(body, &e) // a non-XML body leaves e empty, which is reported as is
	ans.Code, ans.Message = e.Code, e.Message
	return ans
}

// NewHTTPClient is the client for the anonymous GET: it does not follow
// redirects, so the first answer is the one judged.
func NewHTTPClient() *http.Client {
	return &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// ObjectURL is where the anonymous GET goes: with an emulator endpoint,
// <endpoint>/<bucket>/<key>; else the given URL, or the object's
// virtual-hosted URL in region.
func ObjectURL(endpoint, given, bucket, key, region string) string {
	if endpoint != "" {
		return strings.TrimSuffix(endpoint, "/") + "/" + url.PathEscape(bucket) + "/" + escapeKey(key)
	}
	if given != "" {
		return given
	}
	return fmt.Sprintf("https://%s.s3.%s.amazonaws.com/%s", bucket, region, key)
}

func escapeKey(key string) string {
	parts := strings.Split(key, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}
