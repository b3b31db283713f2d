package labctlclass_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"
)

// awsSigV4Answer is what Amazon S3 answers, with HTTP 400, to an unsigned
// GET of an SSE-KMS object (the message lab task 4, step 23 shows; Amazon
// S3 User Guide, "Specifying server-side encryption with AWS KMS":
// "requests for SSE-KMS objects must be made over SSL or TLS and signed
// with Signature Version 4"). moto serves the object instead.
const awsSigV4Answer = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InvalidArgument</Code><Message>Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.</Message><ArgumentName>Authorization</ArgumentName><ArgumentValue>null</ArgumentValue><RequestId>7Q5T2D3K9Z8X1V0B</RequestId><HostId>Zm9vYmFyYmF6cXV4</HostId></Error>`

// lookupEventsTarget is the X-Amz-Target aws-sdk-go-v2 sends (older SDKs
// prefix it with com.amazonaws.cloudtrail.v20131101.).
const lookupEventsTarget = "CloudTrail_20131101.LookupEvents"

// front sits in front of moto and answers as AWS does where moto differs.
type front struct {
	*httptest.Server
	// refuseRoles are role ARNs whose sts:AssumeRole AWS refuses (the
	// role's trust policy does not name the caller).
	refuseRoles map[string]bool
	// history is the CloudTrail event history LookupEvents returns, as
	// CloudTrail records; nil makes LookupEvents answer AccessDenied, as it
	// does in lab accounts that do not allow it. moto has no LookupEvents.
	history []map[string]any
}

func newFront(t testing.TB, motoURL string) *front {
	t.Helper()
	target, err := url.Parse(motoURL)
	if err != nil {
		t.Fatal(err)
	}
	f := &front{refuseRoles: map[string]bool{}}
	proxy := httputil.NewSingleHostReverseProxy(target)
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), lookupEventsTarget) {
			f.lookupEvents(w)
			return
		}
		if r.Method == http.MethodPost && r.URL.Path == "/" && !strings.Contains(r.Header.Get("Content-Type"), "json") {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			form, _ := url.ParseQuery(string(body))
			if form.Get("Action") == "AssumeRole" && f.refuseRoles[form.Get("RoleArn")] {
				refuseAssumeRole(w, form.Get("RoleArn"))
				return
			}
		}
		if r.Method == http.MethodGet && r.Header.Get("Authorization") == "" && r.URL.Query().Get("X-Amz-Signature") == "" {
			anonymousGet(w, r, proxy)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

// anonymousGet asks moto first, so access control still decides (a private
// object stays 403), and only an object moto would serve with SSE-KMS gets
// S3's Signature Version 4 refusal.
func anonymousGet(w http.ResponseWriter, r *http.Request, proxy *httputil.ReverseProxy) {
	rec := httptest.NewRecorder()
	proxy.ServeHTTP(rec, r)
	if rec.Code == http.StatusOK && rec.Header().Get("x-amz-server-side-encryption") == "aws:kms" {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, awsSigV4Answer)
		return
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = io.Copy(w, bytes.NewReader(rec.Body.Bytes()))
}

// refuseAssumeRole is STS's answer when the role's trust policy does not
// allow the caller (AWS STS API Reference, AssumeRole, Errors; the
// message as IAM words it).
func refuseAssumeRole(w http.ResponseWriter, role string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusForbidden)
	io.WriteString(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/instructor is not authorized to perform: sts:AssumeRole on resource: `+role+`</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>`)
}

// lookupEvents answers cloudtrail:LookupEvents in the shape of the
// CloudTrail API Reference (LookupEvents, Response Syntax): each event with
// its CloudTrailEvent, the record as a JSON string, and EventTime in epoch
// seconds (the JSON 1.1 protocol's timestamp).
func (f *front) lookupEvents(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	if f.history == nil {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"AccessDeniedException","Message":"User: arn:aws:iam::123456789012:user/instructor is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action"}`)
		return
	}
	var evs []map[string]any
	for _, rec := range f.history {
		raw, _ := json.Marshal(rec)
		t, _ := time.Parse(time.RFC3339, rec["eventTime"].(string))
		evs = append(evs, map[string]any{
			"EventId": rec["eventID"], "EventName": rec["eventName"], "ReadOnly": "false",
			"EventTime": float64(t.Unix()), "EventSource": rec["eventSource"],
			"CloudTrailEvent": string(raw),
		})
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"Events": evs})
}
