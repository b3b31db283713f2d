package labctl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allChecks is the checklist, in order, that verify prints for a lab.
var allChecks = []string{
	"key.exists", "key.state", "key.spec", "key.rotation", "key.alias",
	"key.policy.root", "key.policy.administrators", "key.policy.users", "key.policy.grants", "key.policy.other-principals",
	"bucket.exists", "bucket.ownership", "bucket.public-access-block", "bucket.encryption", "bucket.policy",
	"trail.exists", "trail.multi-region", "trail.log-file-validation", "trail.log-file-sse-kms", "trail.logging", "trail.event-selectors", "trail.insight-selectors",
	"object.encryption", "object.acl", "object.anonymous-get",
}

type checkLine struct {
	status   string
	observed string
}

var checkLineRE = regexp.MustCompile(`^(pass|fail|warn|unknown)\s+(\S+)\s+(.*)$`)

// parseChecklist reads verify's text output into name -> line, keeping the
// order of names.
func parseChecklist(t *testing.T, stdout string) ([]string, map[string]checkLine) {
	t.Helper()
	var names []string
	lines := map[string]checkLine{}
	for _, l := range strings.Split(stdout, "\n") {
		if m := checkLineRE.FindStringSubmatch(l); m != nil {
			names = append(names, m[2])
			lines[m[2]] = checkLine{status: m[1], observed: m[3]}
		}
	}
	return names, lines
}

type jsonCheck struct {
	Name     string `json:"name"`
	Status   string `json:"status"`
	Expected string `json:"expected"`
	Observed string `json:"observed"`
}

func parseJSONChecks(t *testing.T, stdout string) map[string]jsonCheck {
	t.Helper()
	var doc struct {
		Checks []jsonCheck `json:"checks"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc), "verify --json output: %s", stdout)
	out := map[string]jsonCheck{}
	for _, c := range doc.Checks {
		out[c.Name] = c
	}
	require.Len(t, out, len(allChecks))
	return out
}

func TestVerifyPassesForAHealthyLab(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)
	front := newAWSFront(t, moto.URL)
	outputs := writeOutputs(t, l.outputs(t))

	res := runLabctl(t, awsEnv(t, l), "", "verify", "--outputs", outputs, "--endpoint-url", front.URL)

	require.Equal(t, 0, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	names, lines := parseChecklist(t, res.stdout)
	assert.Equal(t, allChecks, names)
	for name, line := range lines {
		assert.Equal(t, "pass", line.status, "%s: %s", name, line.observed)
	}
	// The deployer was a session of deployerRole: the key policy names the
	// role (README, keyAdministrators), and verify finds it there.
	role := "arn:aws:iam::" + l.account + ":role/" + deployerRole
	assert.Equal(t, l.keyARN, lines["key.exists"].observed)
	assert.Equal(t, role, lines["key.policy.administrators"].observed)
	assert.Equal(t, role, lines["key.policy.users"].observed)
	assert.Equal(t, "enabled", lines["key.rotation"].observed)
	assert.Equal(t, "aws:kms with "+l.keyARN, lines["object.encryption"].observed)
	// Lab task 4's expected message, as S3 words it.
	assert.Equal(t, "refused: HTTP 400 InvalidArgument: Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.",
		lines["object.anonymous-get"].observed)
	assert.Contains(t, res.stdout, fmt.Sprintf("%d checks: %d pass, 0 fail\n", len(allChecks), len(allChecks)))
}

// With dataEventsScope exclude-trail-bucket the program writes advanced
// event selectors; verify compares them with what the stack says, and fails
// when the trail is switched back to the basic all-buckets selector.
func TestVerifyComparesAdvancedSelectorsOfTheExcludeScope(t *testing.T) {
	moto := needMoto(t)
	stack := filepath.Join(t.TempDir(), "Pulumi.scope.yaml")
	require.NoError(t, os.WriteFile(stack, []byte("config:\n  aws:region: "+region+"\n  kms-lab:dataEventsScope: exclude-trail-bucket\n"), 0o644))
	l := newLabFrom(t, moto, stack)
	front := newAWSFront(t, moto.URL)
	outputs := writeOutputs(t, l.outputs(t))

	res := runLabctl(t, awsEnv(t, l), "", "verify", "--outputs", outputs, "--endpoint-url", front.URL)
	require.Equal(t, 0, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	_, lines := parseChecklist(t, res.stdout)
	// CloudTrail User Guide, "Filtering data events by using advanced event
	// selectors": management events, and S3 object events whose ARN does
	// not start with the trail bucket's.
	assert.Equal(t, "eventCategory=Data, resources.ARN notStartsWith [arn:aws:s3:::"+l.bucket+"/], resources.type=AWS::S3::Object | eventCategory=Management",
		lines["trail.event-selectors"].observed)

	// The CloudTrail API Reference (PutEventSelectors) says a trail has
	// either kind and the call overwrites the other; moto keeps both, so
	// here verify sees both and must still fail.
	_, err := l.sdk.CloudTrail.PutEventSelectors(context.Background(), &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(l.trailName),
		EventSelectors: []cttypes.EventSelector{{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true),
			DataResources: []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3"}}}}}})
	require.NoError(t, err)
	res = runLabctl(t, awsEnv(t, l), "", "verify", "--outputs", outputs, "--endpoint-url", front.URL)
	assert.Equal(t, 1, res.code, res.stdout)
	_, lines = parseChecklist(t, res.stdout)
	assert.Equal(t, "fail", lines["trail.event-selectors"].status)
}

func TestVerifyReadsOutputsFromStdinAndPrintsJSON(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)
	front := newAWSFront(t, moto.URL)
	data, err := os.ReadFile(writeOutputs(t, l.outputs(t)))
	require.NoError(t, err)

	res := runLabctl(t, awsEnv(t, l), string(data), "verify", "-", "--json", "--endpoint-url", front.URL)

	require.Equal(t, 0, res.code, "stderr: %s", res.stderr)
	checks := parseJSONChecks(t, res.stdout)
	for _, name := range allChecks {
		assert.Equal(t, "pass", checks[name].Status, "%s: %+v", name, checks[name])
	}
	assert.Equal(t, "enabled", checks["key.rotation"].Expected)
	// Lab task 4: ACLs enabled, "Bucket owner preferred".
	assert.Equal(t, "BucketOwnerPreferred", checks["bucket.ownership"].Observed)
}

// moto serves an SSE-KMS object to anonymous callers; against moto itself
// verify must say so rather than pass.
func TestVerifyFailsWhenTheObjectIsServedAnonymously(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)

	res := runLabctl(t, awsEnv(t, l), "", "verify", "--outputs", writeOutputs(t, l.outputs(t)), "--endpoint-url", moto.URL)

	require.Equal(t, 1, res.code, "stdout:\n%s", res.stdout)
	_, lines := parseChecklist(t, res.stdout)
	assert.Equal(t, "fail", lines["object.anonymous-get"].status)
	assert.Contains(t, lines["object.anonymous-get"].observed, "HTTP 200: the object was served to an anonymous caller")
	assert.Contains(t, res.stdout, fmt.Sprintf("%d checks: %d pass, 1 fail\n", len(allChecks), len(allChecks)-1))
}

// editKeyPolicy rewrites the lab key's policy with edit applied to its
// statements, as someone in the console would.
func editKeyPolicy(t *testing.T, l *lab, edit func(statements []map[string]any) []map[string]any) {
	t.Helper()
	ctx := context.Background()
	got, err := l.sdk.KMS.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(l.keyID), PolicyName: aws.String("default")})
	require.NoError(t, err)
	var doc struct {
		Version   string           `json:"Version"`
		ID        string           `json:"Id,omitempty"`
		Statement []map[string]any `json:"Statement"`
	}
	require.NoError(t, json.Unmarshal([]byte(aws.ToString(got.Policy)), &doc))
	doc.Statement = edit(doc.Statement)
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	_, err = l.sdk.KMS.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(l.keyID), PolicyName: aws.String("default"), Policy: aws.String(string(data))})
	require.NoError(t, err)
}

// The console's default key policy names its key-user statements by these
// Sids (AWS KMS Developer Guide, "Default key policy": "Allows key users to
// use the KMS key", "Allows key users to use the KMS key with AWS services").
const (
	useSid   = "Allow use of the key"
	grantSid = "Allow attachment of persistent resources"
)

// Each broken lab starts from the applied plan and breaks one thing with
// one SDK call; verify must fail exactly the checks that thing touches.
func TestVerifyFindsOneBrokenThing(t *testing.T) {
	intruder := func(l *lab) string { return "arn:aws:iam::" + l.account + ":user/intruder" }
	tests := []struct {
		name    string
		breakIt func(t *testing.T, l *lab)
		// want are the checks that change, with the status and, when set,
		// a part of the observed text.
		want map[string]jsonCheck
	}{
		{"key user removed (lab task 6)", func(t *testing.T, l *lab) {
			editKeyPolicy(t, l, func(st []map[string]any) []map[string]any {
				var out []map[string]any
				for _, s := range st {
					if s["Sid"] != useSid && s["Sid"] != grantSid {
						out = append(out, s)
					}
				}
				return out
			})
		}, map[string]jsonCheck{"key.policy.users": {Status: "fail", Observed: "missing arn:aws:iam::"}, "key.policy.grants": {Status: "fail"}}},
		{"an extra key user", func(t *testing.T, l *lab) {
			editKeyPolicy(t, l, func(st []map[string]any) []map[string]any {
				for _, s := range st {
					if s["Sid"] == useSid {
						s["Principal"] = map[string]any{"AWS": []any{s["Principal"].(map[string]any)["AWS"], intruder(l)}}
					}
				}
				return st
			})
		}, map[string]jsonCheck{"key.policy.users": {Status: "fail", Observed: "[unexpected arn:aws:iam::"}}},
		{"rotation off", func(t *testing.T, l *lab) {
			_, err := l.sdk.KMS.DisableKeyRotation(context.Background(), &kms.DisableKeyRotationInput{KeyId: aws.String(l.keyID)})
			require.NoError(t, err)
		}, map[string]jsonCheck{"key.rotation": {Status: "fail", Expected: "enabled", Observed: "disabled"}}},
		{"trail stopped", func(t *testing.T, l *lab) {
			_, err := l.sdk.CloudTrail.StopLogging(context.Background(), &cloudtrail.StopLoggingInput{Name: aws.String(l.trailName)})
			require.NoError(t, err)
		}, map[string]jsonCheck{"trail.logging": {Status: "fail", Expected: "logging", Observed: "not logging"}}},
		{"object made private", func(t *testing.T, l *lab) {
			_, err := l.sdk.S3.PutObjectAcl(context.Background(), &s3.PutObjectAclInput{Bucket: aws.String(l.bucket), Key: aws.String(l.objectKey), ACL: s3types.ObjectCannedACLPrivate})
			require.NoError(t, err)
		}, map[string]jsonCheck{
			"object.acl": {Status: "fail", Expected: "public-read (AllUsers READ)", Observed: "private (no AllUsers grant)"},
			// Still refused, but by access control: the lab step would show
			// Access Denied instead of the Signature Version 4 message.
			"object.anonymous-get": {Status: "warn", Observed: "refused by access control, not by SSE-KMS: HTTP 403"},
		}},
		{"object re-uploaded with SSE-S3", func(t *testing.T, l *lab) {
			ctx := context.Background()
			obj, err := l.sdk.S3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(l.bucket), Key: aws.String(l.objectKey)})
			require.NoError(t, err)
			body, err := io.ReadAll(obj.Body)
			obj.Body.Close()
			require.NoError(t, err)
			_, err = l.sdk.S3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(l.bucket), Key: aws.String(l.objectKey), Body: bytes.NewReader(body),
				ContentType: aws.String("image/png"), ServerSideEncryption: s3types.ServerSideEncryptionAes256, ACL: s3types.ObjectCannedACLPublicRead})
			require.NoError(t, err)
		}, map[string]jsonCheck{
			"object.encryption": {Status: "fail", Observed: "AES256"},
			// An SSE-S3 public object is served to anyone: lab task 4 fails.
			"object.anonymous-get": {Status: "fail", Observed: "HTTP 200"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			moto := needMoto(t)
			l := newLab(t, moto)
			front := newAWSFront(t, moto.URL)
			tt.breakIt(t, l)

			res := runLabctl(t, awsEnv(t, l), "", "verify", "--outputs", writeOutputs(t, l.outputs(t)), "--endpoint-url", front.URL, "--json")

			require.Equal(t, 1, res.code, "stdout: %s\nstderr: %s", res.stdout, res.stderr)
			checks := parseJSONChecks(t, res.stdout)
			for name, w := range tt.want {
				got := checks[name]
				assert.Equal(t, w.Status, got.Status, "%s: %+v", name, got)
				if w.Expected != "" {
					assert.Equal(t, w.Expected, got.Expected, name)
				}
				assert.Contains(t, got.Observed, w.Observed, name)
			}
			for _, name := range allChecks {
				if _, broken := tt.want[name]; !broken {
					assert.Equal(t, "pass", checks[name].Status, "%s: %+v", name, checks[name])
				}
			}
		})
	}
}

// The stack's outputs and the account can disagree without anything being
// broken in AWS: a stack that now wants only API call rate Insights.
// (moto appends on PutInsightSelectors instead of replacing, so the drift
// is made on the outputs' side.)
func TestVerifyReportsOutputsDrift(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)
	front := newAWSFront(t, moto.URL)
	outputs := l.outputs(t)
	outputs["insightTypes"] = []string{"ApiCallRateInsight"}

	res := runLabctl(t, awsEnv(t, l), "", "verify", "--outputs", writeOutputs(t, outputs), "--endpoint-url", front.URL, "--json")

	require.Equal(t, 1, res.code, "stderr: %s", res.stderr)
	got := parseJSONChecks(t, res.stdout)["trail.insight-selectors"]
	assert.Equal(t, jsonCheck{Name: "trail.insight-selectors", Status: "fail", Expected: "ApiCallRateInsight", Observed: "ApiCallRateInsight, ApiErrorRateInsight"}, got)
}

func TestVerifyReportsMissingResourcesAndDeniedCalls(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)
	front := newAWSFront(t, moto.URL)
	front.deny = func(r *http.Request) (string, bool) {
		return "kms", kmsTarget(r) == "GetKeyPolicy"
	}
	outputs := l.outputs(t)
	outputs["bucketName"] = "mycloudtrailbucket-gone"
	outputs["trailName"] = "noSuchTrail"
	outputs["trailArn"] = "arn:aws:cloudtrail:" + region + ":" + l.account + ":trail/noSuchTrail"

	res := runLabctl(t, awsEnv(t, l), "", "verify", "--outputs", writeOutputs(t, outputs), "--endpoint-url", front.URL)

	require.Equal(t, 1, res.code, "stderr: %s", res.stderr)
	_, lines := parseChecklist(t, res.stdout)
	// A denied read is not a verdict on the key policy (issue 17; report.md).
	assert.Equal(t, "unknown", lines["key.policy"].status)
	assert.Contains(t, lines["key.policy"].observed,
		"access denied for "+l.caller+" on kms:GetKeyPolicy reading key policy of KMS key "+l.keyID+" (account "+l.account+", us-west-2)")
	// The rest of the key's checks still ran.
	assert.Equal(t, "pass", lines["key.rotation"].status)
	assert.Equal(t, "fail", lines["bucket.exists"].status)
	assert.Contains(t, lines["bucket.exists"].observed, "S3 bucket mycloudtrailbucket-gone not found (account "+l.account+", us-west-2)")
	assert.Equal(t, "fail", lines["trail.exists"].status)
	assert.Contains(t, lines["trail.exists"].observed, "CloudTrail trail noSuchTrail not found")
	// Checks that need the missing bucket or trail are not run.
	assert.NotContains(t, lines, "bucket.policy")
	assert.NotContains(t, lines, "trail.logging")
}
