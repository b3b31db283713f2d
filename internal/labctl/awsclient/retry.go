package awsclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Retry bounds how long labctl keeps asking when AWS throttles (S3's 503
// SlowDown, KMS's and CloudTrail's ThrottlingException, IAM's and STS's
// Throttling), fails with a 5xx, or does not answer in time. A class of
// students and an instructor call the same APIs in the same accounts at
// once, so throttling is normal, and a read that gives up too early turns
// into a wrong grade.
type Retry struct {
	// MaxAttempts is the most attempts of one call, the first included.
	// The standard AWS_MAX_ATTEMPTS (max_attempts in a profile) overrides it.
	MaxAttempts int
	// MaxBackoff caps the wait before one retry. The SDK waits a random
	// time up to min(1s x 2^retry, MaxBackoff) after a throttle, and from
	// 50ms up after other errors (AWS SDKs and Tools Reference Guide,
	// "Retry behavior").
	MaxBackoff time.Duration
	// AttemptTimeout is how long one attempt may wait for the response's
	// headers; a silent endpoint is then retried rather than waited on.
	AttemptTimeout time.Duration
	// CallBudget bounds one call, every attempt and wait included; a call
	// that runs out of it fails with a timeout.
	CallBudget time.Duration
}

// DefaultRetry is what labctl uses unless Options.Retry says otherwise.
//
// Why these numbers: at a sustained 30% of requests throttled, a call
// still fails after 10 attempts with a chance of 0.3^10, about 6 in a
// million; a by-hand check makes about 40 calls per account, so a class
// of 30 is graded without one throttled read about 99% of the time. The
// waits before the 9 retries of a throttled call are at most 1, 2, 4 and
// then 8s each (39s in all, half that on average), inside a 60s budget, so
// an account that AWS keeps throttling costs about a minute per call in
// the worst case and the check then says "unknown", not "fail". The reads
// are small and AWS answers them in well under a second: 20s for the
// headers of one attempt allows a slow network yet leaves room in the
// budget to retry a silent endpoint; 2 minutes still bounds a log file's
// download.
func DefaultRetry() Retry {
	return Retry{MaxAttempts: 10, MaxBackoff: 8 * time.Second, AttemptTimeout: 20 * time.Second, CallBudget: 60 * time.Second}
}

// withDefaults fills r's zero fields from DefaultRetry.
func (r Retry) withDefaults() Retry {
	d := DefaultRetry()
	if r.MaxAttempts <= 0 {
		r.MaxAttempts = d.MaxAttempts
	}
	if r.MaxBackoff <= 0 {
		r.MaxBackoff = d.MaxBackoff
	}
	if r.AttemptTimeout <= 0 {
		r.AttemptTimeout = d.AttemptTimeout
	}
	if r.CallBudget <= 0 {
		r.CallBudget = d.CallBudget
	}
	return r
}

// loadOptions are the retryer, the HTTP client's timeouts and the per-call
// budget, for config.LoadDefaultConfig.
func (r Retry) loadOptions() []func(*config.LoadOptions) error {
	r = r.withDefaults()
	httpClient := awshttp.NewBuildableClient().
		// Bounds a whole attempt, a log file's body included.
		WithTimeout(2 * time.Minute).
		WithTransportOptions(func(tr *http.Transport) { tr.ResponseHeaderTimeout = r.AttemptTimeout })
	// One per connection: every client made from this configuration
	// shares what it learnt about the endpoint.
	s := &silence{}
	return []func(*config.LoadOptions) error{
		config.WithHTTPClient(httpClient),
		config.WithAPIOptions([]func(*middleware.Stack) error{
			func(stack *middleware.Stack) error { return r.budgetMiddleware(stack, s) },
			s.answerMiddleware,
		}),
	}
}

// setRetryer gives cfg labctl's retryer once cfg is loaded, so that
// AWS_MAX_ATTEMPTS or a profile's max_attempts, which the SDK resolves
// only when no retryer is given up front, still win.
func (r Retry) setRetryer(cfg *aws.Config) {
	r = r.withDefaults()
	if cfg.RetryMaxAttempts > 0 {
		r.MaxAttempts = cfg.RetryMaxAttempts
	}
	cfg.Retryer = func() aws.Retryer { return r.retryer() }
}

// retryer is the SDK's standard retryer with labctl's bounds. The SDK's
// client-side retry quota (500 tokens a client, 5 per throttled retry) is
// turned off: it fails a call without asking AWS once a client has retried
// about 100 times, which a log scan of a busy account reaches at 30%
// throttling; MaxAttempts and CallBudget already bound each call.
func (r Retry) retryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = r.MaxAttempts
		o.MaxBackoff = r.MaxBackoff
		o.RateLimiter = ratelimit.None
		// An answer that is not an AWS response at all (an emulator's HTML
		// page for an API it lacks) will not change on retry; checked first.
		o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(notAnAWSResponse)}, o.Retryables...)
	})
}

func notAnAWSResponse(err error) aws.Ternary {
	var de *smithy.DeserializationError
	if errors.As(err, &de) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}

// errCallBudget is the cause of a call's context ending at its budget.
var errCallBudget = errors.New("labctl's time budget for one call ran out")

// budgetMiddleware gives every call CallBudget for all its attempts. A
// streamed body (S3 GetObject) keeps the budget until it is closed. Once a
// call of this connection ran out of its budget without any answer at all,
// later calls are not sent: an endpoint that never answers would otherwise
// cost the whole budget on every call of an account, about 40 minutes for
// a by-hand check's 40 calls. They fail at once with the same timeout,
// which makes their checks unknown, never fail.
func (r Retry) budgetMiddleware(stack *middleware.Stack, s *silence) error {
	budget := r.CallBudget
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("labctlCallBudget",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if endpoint, silent := s.silent(); silent {
				return middleware.InitializeOutput{}, middleware.Metadata{}, &BudgetError{Endpoint: endpoint, Budget: budget, NotSent: true, Err: context.DeadlineExceeded}
			}
			ctx, cancel := context.WithTimeoutCause(ctx, budget, fmt.Errorf("%w (%s)", errCallBudget, budget))
			out, md, err := next.HandleInitialize(ctx, in)
			if o, ok := out.Result.(*s3.GetObjectOutput); ok && err == nil && o.Body != nil {
				o.Body = &cancelOnClose{ReadCloser: o.Body, cancel: cancel}
				return out, md, nil
			}
			if err != nil && (Classify(err) == KindTimeout || errors.Is(context.Cause(ctx), errCallBudget)) {
				// Out of attempts that each timed out, or out of budget.
				endpoint, answered := s.ranOut()
				err = &BudgetError{Endpoint: endpoint, Budget: budget, NoAnswer: !answered, Err: err}
			}
			cancel()
			return out, md, err
		}), middleware.Before)
}

// BudgetError is a call that timed out (out of its time budget, or out of
// attempts that each timed out), or one that was not sent because an
// earlier call of the same connection got no answer at all. Classify calls
// it a timeout.
type BudgetError struct {
	// Endpoint is the scheme and host the call was sent to.
	Endpoint string
	Budget   time.Duration
	// NoAnswer: nothing ever answered on this connection.
	NoAnswer bool
	// NotSent: the call was not sent, since the endpoint never answered.
	NotSent bool
	Err     error
}

func (e *BudgetError) Error() string {
	if e.NotSent {
		return fmt.Sprintf("not sent: %s did not answer an earlier call within %s", e.Endpoint, e.Budget)
	}
	return fmt.Sprintf("%s timed out within %s: %v", e.Endpoint, e.Budget, e.Err)
}
func (e *BudgetError) Unwrap() error { return e.Err }

// silence is what one connection knows of its endpoint: where its calls go,
// whether anything ever answered, and whether a call ran out of its budget
// with no answer at all.
type silence struct {
	mu       sync.Mutex
	endpoint string
	answered bool
	dead     bool
}

func (s *silence) silent() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.endpoint, s.dead
}

// ranOut records a call that ran out of its budget; with no answer ever,
// the connection is taken for dead.
func (s *silence) ranOut() (endpoint string, answered bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dead = s.dead || !s.answered
	return s.endpoint, s.answered
}

// answerMiddleware records each attempt's endpoint and whether an HTTP
// response came back, whatever its status: innermost, next to the
// transport, so it sees every retry.
func (s *silence) answerMiddleware(stack *middleware.Stack) error {
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("labctlAnswered",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			if req, ok := in.Request.(*smithyhttp.Request); ok && req.URL != nil {
				s.mu.Lock()
				s.endpoint = req.URL.Scheme + "://" + req.URL.Host
				s.mu.Unlock()
			}
			out, md, err := next.HandleDeserialize(ctx, in)
			// The transport returns an empty response with its error;
			// only a status code is an answer.
			var sendErr *smithyhttp.RequestSendError
			if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp != nil && resp.Response != nil && resp.StatusCode != 0 && !errors.As(err, &sendErr) {
				s.mu.Lock()
				s.answered = true
				s.mu.Unlock()
			}
			return out, md, err
		}), middleware.After)
}

// cancelOnClose ends a call's budget when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	defer c.cancel()
	return c.ReadCloser.Close()
}
