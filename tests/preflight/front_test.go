package preflight_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// front is the shared front (internal/testenv/mototest) plus what preflight's
// checks meet where moto differs from AWS:
//   - iam:SimulatePrincipalPolicy, which moto does not implement (it
//     answers HTTP 500): the front answers in the API's documented shape
//     (IAM API Reference, SimulatePrincipalPolicy: EvaluationResults with
//     EvalActionName, EvalResourceName, EvalDecision allowed |
//     explicitDeny | implicitDeny), deciding by the test's deny list;
//   - access denied for chosen IAM actions (moto enforces no IAM);
//   - HeadBucket with x-amz-expected-bucket-owner for a bucket of another
//     account, which S3 answers with 403 (Amazon S3 API Reference,
//     HeadBucket: "If the bucket does not exist or you do not have
//     permission to access it, the HEAD request returns a generic 400 Bad
//     Request, 403 Forbidden or 404 Not Found"; ExpectedBucketOwner: "If the
//     account ID that you provide does not match the actual owner of the
//     bucket, the request fails with the HTTP status code 403 Forbidden");
//   - throttling of chosen JSON-protocol calls (KMS, CloudTrail), answered
//     as AWS does: HTTP 400 ThrottlingException "Rate exceeded" (AWS KMS
//     API Reference, "Common Errors"), which moto never answers.
//
// Everything else goes to moto unchanged.
type front struct {
	*mototest.Front
	deniedActions  map[string]string // IAM action -> simulated decision (e.g. implicitDeny)
	accessDenied   map[string]bool   // IAM API actions answered with AccessDenied
	foreignBuckets map[string]bool   // buckets S3 says belong to another account
	throttled      map[string]bool   // X-Amz-Target values answered with ThrottlingException
}

func newFront(t *testing.T, motoURL string) *front {
	t.Helper()
	f := &front{deniedActions: map[string]string{}, accessDenied: map[string]bool{}, foreignBuckets: map[string]bool{}, throttled: map[string]bool{}}
	f.Front = mototest.NewFront(t, motoURL, f.foreignBucket, f.iam, f.throttle)
	return f
}

func (f *front) foreignBucket(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodHead || r.Header.Get("X-Amz-Expected-Bucket-Owner") == "" ||
		!f.foreignBuckets[strings.Trim(r.URL.Path, "/")] {
		return false
	}
	w.WriteHeader(http.StatusForbidden)
	return true
}

func (f *front) throttle(w http.ResponseWriter, r *http.Request) bool {
	if !f.throttled[r.Header.Get("X-Amz-Target")] {
		return false
	}
	awswire.WriteThrottled(w, awswire.ScopeOf(r).Service)
	return true
}

func (f *front) iam(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost || awswire.ScopeOf(r).Service != "iam" {
		return false
	}
	form := mototest.QueryForm(r)
	action := form.Get("Action")
	if f.accessDenied[action] {
		awswire.WriteQueryAccessDenied(w, awswire.IAMNamespace,
			"User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: iam:"+action)
		return true
	}
	if action == "SimulatePrincipalPolicy" {
		f.simulate(w, form)
		return true
	}
	return false
}

func members(form url.Values, prefix string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := form[fmt.Sprintf("%s.member.%d", prefix, i)]
		if !ok {
			return out
		}
		out = append(out, v[0])
	}
}

func (f *front) simulate(w http.ResponseWriter, form url.Values) {
	resources := members(form, "ResourceArns")
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	var b strings.Builder
	for _, a := range members(form, "ActionNames") {
		decision := "allowed"
		if d, ok := f.deniedActions[a]; ok {
			decision = d
		}
		for _, res := range resources {
			fmt.Fprintf(&b, "<member><EvalActionName>%s</EvalActionName><EvalResourceName>%s</EvalResourceName><EvalDecision>%s</EvalDecision><MatchedStatements/><MissingContextValues/></member>", a, res, decision)
		}
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated><EvaluationResults>%s</EvaluationResults></SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>`, b.String())
}
