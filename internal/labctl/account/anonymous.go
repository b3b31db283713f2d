package account

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// getAnonymously makes lab task 4's last step, an unsigned GetObject of
// the image, through the account's S3 client without credentials (the SDK
// then sends it unsigned, as a browser does):
// the same endpoint, addressing, retryer and time budget as every other
// call (S3 throttling the GET with 503 SlowDown is retried like any
// other). S3's answer is recorded: its status, code and message, and of a
// served object only how many bytes were read (the body is not kept). A
// GET that got no answer, or only 5xx through every retry, is a read
// error, not an answer.
func (o *Observer) getAnonymously(ctx context.Context, s *Snapshot) Field[AnonymousAnswer] {
	img := s.Image
	u := ObjectURL(o.Clients.Endpoint, s.Names.ObjectURL, img.Bucket, img.Key, o.Clients.Region)
	return anonymousGet(ctx, o.Clients.S3, img.Bucket, img.Key, u, func(err error) Field[AnonymousAnswer] {
		var maxErr *retry.MaxAttemptsError
		var re *smithyhttp.ResponseError
		if errors.As(err, &maxErr) && errors.As(err, &re) && re.HTTPStatusCode() >= 500 {
			// As a browser's user would read it: S3's status, and how often.
			what, kind := fmt.Sprintf("failed the anonymous GET with HTTP %d", re.HTTPStatusCode()), ServerError
			if re.HTTPStatusCode() == 503 {
				// S3's SlowDown (Amazon S3 API Reference, "Error responses").
				what, kind = "throttled the anonymous GET (HTTP 503 SlowDown)", Throttled
			}
			return FailedWith[AnonymousAnswer](&ReadError{Kind: kind, At: o.now(),
				Message: fmt.Sprintf("AWS %s %d times; retry in a minute", what, maxErr.Attempt)})
		}
		return failField[AnonymousAnswer](o, err, "the anonymous GET of s3://"+img.Bucket+"/"+img.Key)
	})
}

func anonymousGet(ctx context.Context, c *s3.Client, bucket, key, u string, failed func(error) Field[AnonymousAnswer]) Field[AnonymousAnswer] {
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)},
		func(opt *s3.Options) { opt.Credentials = nil })
	if err == nil {
		defer out.Body.Close()
		// An image that is (wrongly) served need not be read whole to know
		// it was served.
		n, _ := io.Copy(io.Discard, io.LimitReader(out.Body, 64<<10))
		return Value(AnonymousAnswer{URL: u, Status: 200, Bytes: int(n)})
	}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.HTTPStatusCode() < 500 && re.HTTPStatusCode() != 429 {
		ans := AnonymousAnswer{URL: u, Status: re.HTTPStatusCode()}
		var apiErr smithy.APIError
		if errors.As(err, &apiErr) {
			ans.Code, ans.Message = apiErr.ErrorCode(), apiErr.ErrorMessage()
		}
		return Value(ans)
	}
	return failed(err)
}

// ObjectURL is where the anonymous GET goes, for the record: with an
// emulator endpoint, <endpoint>/<bucket>/<key>; else the given URL, or the
// object's virtual-hosted URL in region.
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
