package labctlclass_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// lookupEventsTarget is the X-Amz-Target aws-sdk-go-v2 sends (older SDKs
// prefix it with com.amazonaws.cloudtrail.v20131101.).
const lookupEventsTarget = "CloudTrail_20131101.LookupEvents"

// front is the shared front (S3's refusal of unsigned GETs of SSE-KMS
// objects) plus what these tests need where moto differs from AWS.
type front struct {
	*mototest.Front
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
	f := &front{refuseRoles: map[string]bool{}}
	f.Front = mototest.NewFront(t, motoURL, f.lookupEvents, f.refuseAssumeRole)
	return f
}

// refuseAssumeRole is STS's answer when the role's trust policy does not
// allow the caller (AWS STS API Reference, AssumeRole, Errors; the
// message as IAM words it).
func (f *front) refuseAssumeRole(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost || r.URL.Path != "/" || strings.Contains(r.Header.Get("Content-Type"), "json") {
		return false
	}
	form := mototest.QueryForm(r)
	role := form.Get("RoleArn")
	if form.Get("Action") != "AssumeRole" || !f.refuseRoles[role] {
		return false
	}
	awswire.WriteQueryAccessDenied(w, awswire.STSNamespace,
		"User: arn:aws:iam::123456789012:user/instructor is not authorized to perform: sts:AssumeRole on resource: "+role)
	return true
}

// lookupEvents answers cloudtrail:LookupEvents in the shape of the
// CloudTrail API Reference (LookupEvents, Response Syntax): each event with
// its CloudTrailEvent, the record as a JSON string, and EventTime in epoch
// seconds (the JSON 1.1 protocol's timestamp).
func (f *front) lookupEvents(w http.ResponseWriter, r *http.Request) bool {
	if !strings.HasSuffix(r.Header.Get("X-Amz-Target"), lookupEventsTarget) {
		return false
	}
	if f.history == nil {
		awswire.WriteJSONAccessDenied(w, "User: arn:aws:iam::123456789012:user/instructor is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action")
		return true
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
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
	return true
}
