package account

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
)

// ctAnswer is how a fake CloudTrail answers one call: a JSON body, or an
// error of the JSON 1.1 protocol (HTTP status, code and message).
type ctAnswer struct {
	status int
	body   any // a jsonError is written in the protocol's error shape
}

type jsonError struct{ code, message string }

func ctError(status int, code, message string) ctAnswer {
	return ctAnswer{status, jsonError{code, message}}
}

// fakeCloudTrail answers each CloudTrail call from answers (by operation
// name) and records the region each GetTrail was signed for.
func fakeCloudTrail(t *testing.T, answers map[string]ctAnswer) (*awsclient.Clients, *[]string) {
	var (
		mu      sync.Mutex
		regions []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "CloudTrail_20131101.")
		if op == "GetTrail" {
			mu.Lock()
			regions = append(regions, awswire.ScopeOf(r).Region)
			mu.Unlock()
		}
		a, ok := answers[op]
		if !ok {
			t.Errorf("unexpected call %s", op)
			a = ctError(400, "InvalidParameterException", "unexpected")
		}
		if e, ok := a.body.(jsonError); ok {
			awswire.WriteJSONError(w, a.status, e.code, e.message)
			return
		}
		if a.status == 400 && a.body == nil {
			awswire.WriteJSONAccessDenied(w, "User: arn:aws:iam::111122223333:user/student is not authorized to perform: cloudtrail:"+op)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(a.status)
		_ = json.NewEncoder(w).Encode(a.body)
	}))
	t.Cleanup(srv.Close)
	cfg := aws.Config{Region: "us-west-2", BaseEndpoint: aws.String(srv.URL), Retryer: func() aws.Retryer { return aws.NopRetryer{} },
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
	return awsclient.FromConfig(cfg, srv.URL), &regions
}

// TestObserveTrailsElsewhere: clean needs every trail of the account, in
// any region, to prove that no other trail logs to a bucket. ListTrails
// lists the account's trails of every region with their home region, and
// GetTrail answers for a trail only in its home region (AWS CloudTrail API
// Reference, ListTrails and GetTrail). A failed ListTrails or GetTrail is
// a classified read error, never "no trail elsewhere"; only
// TrailNotFoundException (GetTrail: "the trail with the given name is not
// found") drops a trail, deleted since the listing.
func TestObserveTrailsElsewhere(t *testing.T) {
	const (
		here  = "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail"
		there = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/audit"
	)
	list := ctAnswer{200, map[string]any{"Trails": []map[string]string{
		{"TrailARN": here, "Name": "myTrail", "HomeRegion": "us-west-2"},
		{"TrailARN": there, "Name": "audit", "HomeRegion": "eu-west-1"}}}}
	got := ctAnswer{200, map[string]any{"Trail": map[string]any{"Name": "audit", "TrailARN": there, "HomeRegion": "eu-west-1",
		"S3BucketName": "mycloudtrailbucket10619", "IsOrganizationTrail": false, "IsMultiRegionTrail": false}}}
	seen := Value([]Trail{{Name: "myTrail", ARN: here, HomeRegion: "us-west-2", Bucket: "mycloudtrailbucket10619"}})
	tests := []struct {
		name      string
		trails    Field[[]Trail]
		answers   map[string]ctAnswer
		wantState State
		wantKind  ErrorKind
		wantIn    string // in the error's message
		want      []Trail
		wantSigns []string // GetTrail's signed regions
	}{
		{name: "a single-region trail homed elsewhere is read there", trails: seen,
			answers: map[string]ctAnswer{"ListTrails": list, "GetTrail": got}, wantState: Read, wantSigns: []string{"eu-west-1"},
			want: []Trail{{Name: "audit", ARN: there, HomeRegion: "eu-west-1", Bucket: "mycloudtrailbucket10619"}}},
		{name: "deleted since the listing", trails: seen,
			answers:   map[string]ctAnswer{"ListTrails": list, "GetTrail": ctError(400, "TrailNotFoundException", "Unknown trail: "+there)},
			wantState: Read, want: []Trail{}, wantSigns: []string{"eu-west-1"}},
		{name: "ListTrails throttled", trails: seen,
			answers:   map[string]ctAnswer{"ListTrails": ctError(400, "ThrottlingException", "Rate exceeded")},
			wantState: Failed, wantKind: Throttled, wantIn: "cloudtrail:ListTrails"},
		{name: "ListTrails denied", trails: seen,
			answers:   map[string]ctAnswer{"ListTrails": {status: 400}},
			wantState: Failed, wantKind: Denied, wantIn: "cloudtrail:ListTrails"},
		{name: "GetTrail in the other region denied", trails: seen,
			answers:   map[string]ctAnswer{"ListTrails": list, "GetTrail": {status: 400}},
			wantState: Failed, wantKind: Denied, wantIn: there, wantSigns: []string{"eu-west-1"}},
		{name: "GetTrail in the other region fails on the server", trails: seen,
			answers:   map[string]ctAnswer{"ListTrails": list, "GetTrail": ctError(500, "InternalFailure", "We encountered an internal error.")},
			wantState: Failed, wantKind: ServerError, wantIn: there, wantSigns: []string{"eu-west-1"}},
		{name: "this region's trails not read", trails: FailedWith[[]Trail](&ReadError{Kind: Timeout, Message: "timed out"}),
			answers: map[string]ctAnswer{}, wantState: Failed, wantKind: Timeout, wantIn: "timed out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clients, signs := fakeCloudTrail(t, tt.answers)
			o := &Observer{Clients: clients, Identity: awsclient.Identity{Account: "111122223333", ARN: "arn:aws:iam::111122223333:user/student"}}
			s := &Snapshot{Trails: tt.trails}
			o.observeTrailsElsewhere(context.Background(), s)
			f := s.TrailsElsewhere
			require.Equal(t, tt.wantState, f.State, "%+v", f.Error)
			assert.Equal(t, tt.wantSigns, *signs, "GetTrail is made in the trail's home region")
			if tt.wantState == Failed {
				require.NotNil(t, f.Error)
				assert.Equal(t, tt.wantKind, f.Error.Kind)
				assert.Contains(t, f.Error.Message, tt.wantIn)
				return
			}
			assert.Equal(t, tt.want, f.Value)
		})
	}
}
