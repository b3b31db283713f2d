// Package awsstub is an http.RoundTripper that answers AWS SDK requests from
// canned responses, in the shape of GitHub's CLI httpmock: a test registers
// one stub per call it expects, by service and operation, and the registry
// fails the test on a request no stub matches and on a stub never called.
//
// A request's service is read from its SigV4 credential scope, so stubs
// match whatever host the SDK addresses. The operation is the X-Amz-Target
// header for the JSON protocols (KMS, CloudTrail), the Action form field
// for the query protocols (STS, IAM), and the method and path for S3's REST
// protocol, which the clients must address path-style (an endpoint set, as
// config does).
package awsstub

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
)

// endpoint is the base URL the stubbed clients address; nothing listens
// there, the registry answers instead.
const endpoint = "https://aws.stub.invalid"

// Matcher says whether a stub answers a request.
type Matcher struct {
	// Name is how failure messages name the stub: "kms DescribeKey".
	Name  string
	match func(r *Request) bool
}

// Responder makes a stub's answer.
type Responder func(r *Request) (*http.Response, error)

// Request is a request as the matchers see it: its body already read.
type Request struct {
	*http.Request
	Service string
	Body    []byte
}

// operation names a request for failure messages.
func (r *Request) operation() string {
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		return r.Service + " " + target[strings.LastIndex(target, ".")+1:]
	}
	if form, err := url.ParseQuery(string(r.Body)); err == nil && form.Get("Action") != "" {
		return r.Service + " " + form.Get("Action")
	}
	return r.Service + " " + r.Method + " " + r.URL.RequestURI()
}

type stub struct {
	m       Matcher
	respond Responder
	// times is how often the stub may answer; 0 means any number of times.
	times int
	calls int
}

// Registry holds the stubs of one test.
type Registry struct {
	t         testing.TB
	mu        sync.Mutex
	stubs     []*stub
	unmatched []string
}

// New returns a registry that checks, when t ends, that every request was
// matched and every stub called.
func New(t testing.TB) *Registry {
	r := &Registry{t: t}
	t.Cleanup(r.verify)
	return r
}

// Register adds a stub answering one matching request.
func (r *Registry) Register(m Matcher, respond Responder) {
	r.add(&stub{m: m, respond: respond, times: 1})
}

// RegisterAlways adds a stub answering every matching request (at least
// one), for calls made a number of times that is not the test's point.
func (r *Registry) RegisterAlways(m Matcher, respond Responder) {
	r.add(&stub{m: m, respond: respond})
}

func (r *Registry) add(s *stub) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stubs = append(r.stubs, s)
}

// RoundTrip answers req from the first stub that matches it and still has
// answers left.
func (r *Registry) RoundTrip(req *http.Request) (*http.Response, error) {
	sr := &Request{Request: req, Service: awswire.ScopeOf(req).Service}
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, fmt.Errorf("awsstub: reading the request body: %w", err)
		}
		_ = req.Body.Close()
		sr.Body = body
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	var found *stub
	for _, s := range r.stubs {
		if (s.times == 0 || s.calls < s.times) && s.m.match(sr) {
			found = s
			s.calls++
			break
		}
	}
	if found == nil {
		r.unmatched = append(r.unmatched, sr.operation())
	}
	r.mu.Unlock()
	if found == nil {
		return nil, fmt.Errorf("awsstub: no stub for %s", sr.operation())
	}
	resp, err := found.respond(sr)
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}

func (r *Registry) verify() {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, op := range r.unmatched {
		r.t.Errorf("awsstub: unexpected request %s", op)
	}
	for _, s := range r.stubs {
		if s.calls == 0 {
			r.t.Errorf("awsstub: stub %s was never called", s.m.Name)
		}
	}
}

// client is an http.Client whose requests the registry answers.
func (r *Registry) client() *http.Client { return &http.Client{Transport: r} }

// config is an aws.Config in region whose requests the registry answers:
// static credentials, endpoint as the base endpoint, and no retries, so
// that a stubbed error is seen once.
func (r *Registry) config(region string) aws.Config {
	return aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDSTUB", "stub-secret", ""),
		HTTPClient:   r.client(),
		BaseEndpoint: aws.String(endpoint),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// clients are labctl's AWS clients on config(region).
func (r *Registry) clients(region string) *awsclient.Clients {
	return awsclient.FromConfig(r.config(region), endpoint)
}
