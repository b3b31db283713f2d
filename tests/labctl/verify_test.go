package labctl_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
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
	"trail.exists", "trail.multi-region", "trail.log-file-validation", "trail.logging", "trail.event-selectors", "trail.insight-selectors",
	"object.encryption", "object.acl", "object.anonymous-get",
}

type checkLine struct {
	status   string
	observed string
}

var checkLineRE = regexp.MustCompile(`^(ok|FAIL|warn)\s+(\S+)\s+(.*)$`)

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
	l := newLab(t, newSDK(moto.URL))
	front := newAWSFront(t, moto.URL)
	outputs := writeOutputs(t, l.outputs())

	res := runLabctl(t, awsEnv(t), "", "verify", "--outputs", outputs, "--endpoint-url", front.URL)

	require.Equal(t, 0, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	names, lines := parseChecklist(t, res.stdout)
	assert.Equal(t, allChecks, names)
	for name, line := range lines {
		assert.Equal(t, "ok", line.status, "%s: %s", name, line.observed)
	}
	assert.Equal(t, l.keyARN, lines["key.exists"].observed)
	assert.Equal(t, student, lines["key.policy.administrators"].observed)
	assert.Equal(t, student, lines["key.policy.users"].observed)
	assert.Equal(t, "enabled", lines["key.rotation"].observed)
	assert.Equal(t, "aws:kms with "+l.keyARN, lines["object.encryption"].observed)
	assert.Equal(t, "refused: HTTP 400 InvalidArgument: Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.",
		lines["object.anonymous-get"].observed)
	assert.Contains(t, res.stdout, "24 checks: 24 ok, 0 FAIL, 0 warn")
}

func TestVerifyReadsOutputsFromStdinAndPrintsJSON(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, newSDK(moto.URL))
	front := newAWSFront(t, moto.URL)
	data, err := os.ReadFile(writeOutputs(t, l.outputs()))
	require.NoError(t, err)

	res := runLabctl(t, awsEnv(t), string(data), "verify", "-", "--json", "--endpoint-url", front.URL)

	require.Equal(t, 0, res.code, "stderr: %s", res.stderr)
	checks := parseJSONChecks(t, res.stdout)
	for _, name := range allChecks {
		assert.Equal(t, "ok", checks[name].Status, "%s: %+v", name, checks[name])
	}
	assert.Equal(t, "enabled", checks["key.rotation"].Expected)
	assert.Equal(t, "BucketOwnerPreferred", checks["bucket.ownership"].Observed)
}

// moto serves an SSE-KMS object to anonymous callers; against moto itself
// verify must say so rather than pass.
func TestVerifyFailsWhenTheObjectIsServedAnonymously(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, newSDK(moto.URL))

	res := runLabctl(t, awsEnv(t), "", "verify", "--outputs", writeOutputs(t, l.outputs()), "--endpoint-url", moto.URL)

	require.Equal(t, 1, res.code, "stdout:\n%s", res.stdout)
	_, lines := parseChecklist(t, res.stdout)
	assert.Equal(t, "FAIL", lines["object.anonymous-get"].status)
	assert.Contains(t, lines["object.anonymous-get"].observed, "HTTP 200: the object was served to an anonymous caller")
	assert.Contains(t, res.stdout, "23 ok, 1 FAIL")
}

func TestVerifyReportsDrift(t *testing.T) {
	moto := needMoto(t)
	c := newSDK(moto.URL)
	l := newLab(t, c)
	front := newAWSFront(t, moto.URL)
	ctx := context.Background()

	// What an instructor might find in a student's account after class.
	intruder := "arn:aws:iam::123456789012:user/intruder"
	_, err := c.kms.DisableKeyRotation(ctx, &kms.DisableKeyRotationInput{KeyId: aws.String(l.keyID)})
	require.NoError(t, err)
	_, err = c.kms.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(l.keyID), PolicyName: aws.String("default"),
		Policy: aws.String(consoleKeyPolicy([]string{student}, []string{student, intruder}))})
	require.NoError(t, err)
	_, err = c.ct.StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String(l.trailName)})
	require.NoError(t, err)
	_, err = c.s3.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String(l.bucket), Key: aws.String(l.objectKey), ACL: s3types.ObjectCannedACLPrivate})
	require.NoError(t, err)

	// The stack now wants only API call rate Insights, but the trail still
	// has both. (moto appends on PutInsightSelectors instead of replacing,
	// so the drift is made on the outputs' side.)
	outputs := l.outputs()
	outputs["insightTypes"] = []string{"ApiCallRateInsight"}

	res := runLabctl(t, awsEnv(t), "", "verify", "--outputs", writeOutputs(t, outputs), "--endpoint-url", front.URL, "--json")

	require.Equal(t, 1, res.code, "stderr: %s", res.stderr)
	checks := parseJSONChecks(t, res.stdout)
	want := map[string]jsonCheck{
		"key.rotation":            {Status: "fail", Expected: "enabled", Observed: "disabled"},
		"key.policy.users":        {Status: "fail", Expected: student, Observed: student + ", " + intruder + " [unexpected " + intruder + "]"},
		"key.policy.grants":       {Status: "fail"},
		"trail.logging":           {Status: "fail", Expected: "logging", Observed: "not logging"},
		"trail.insight-selectors": {Status: "fail", Expected: "ApiCallRateInsight", Observed: "ApiCallRateInsight, ApiErrorRateInsight"},
		"object.acl":              {Status: "fail", Expected: "public-read (AllUsers READ)", Observed: "private (no AllUsers grant)"},
		// Still refused, but by access control: the lab step would show
		// Access Denied instead of the Signature Version 4 message.
		"object.anonymous-get": {Status: "warn"},
	}
	for name, w := range want {
		got := checks[name]
		assert.Equal(t, w.Status, got.Status, "%s: %+v", name, got)
		if w.Expected != "" {
			assert.Equal(t, w.Expected, got.Expected, name)
		}
		if w.Observed != "" {
			assert.Equal(t, w.Observed, got.Observed, name)
		}
	}
	assert.Contains(t, checks["object.anonymous-get"].Observed, "refused by access control, not by SSE-KMS: HTTP 403")
	for _, name := range allChecks {
		if _, drifted := want[name]; !drifted {
			assert.Equal(t, "ok", checks[name].Status, "%s: %+v", name, checks[name])
		}
	}
}

func TestVerifyReportsMissingResourcesAndDeniedCalls(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, newSDK(moto.URL))
	front := newAWSFront(t, moto.URL)
	front.deny = func(r *http.Request) (string, bool) {
		return "kms", kmsTarget(r) == "GetKeyPolicy"
	}
	outputs := l.outputs()
	outputs["bucketName"] = "mycloudtrailbucket-gone"
	outputs["trailName"] = "noSuchTrail"

	res := runLabctl(t, awsEnv(t), "", "verify", "--outputs", writeOutputs(t, outputs), "--endpoint-url", front.URL)

	require.Equal(t, 1, res.code, "stderr: %s", res.stderr)
	_, lines := parseChecklist(t, res.stdout)
	assert.Equal(t, "FAIL", lines["key.policy"].status)
	assert.Contains(t, lines["key.policy"].observed,
		"access denied for arn:aws:sts::123456789012:user/moto on kms:GetKeyPolicy reading key policy of KMS key "+l.keyID+" (account 123456789012, us-west-2)")
	// The rest of the key's checks still ran.
	assert.Equal(t, "ok", lines["key.rotation"].status)
	assert.Equal(t, "FAIL", lines["bucket.exists"].status)
	assert.Contains(t, lines["bucket.exists"].observed, "S3 bucket mycloudtrailbucket-gone not found (account 123456789012, us-west-2)")
	assert.Equal(t, "FAIL", lines["trail.exists"].status)
	assert.Contains(t, lines["trail.exists"].observed, "CloudTrail trail noSuchTrail not found")
	// Checks that need the missing bucket or trail are not run.
	assert.NotContains(t, lines, "bucket.policy")
	assert.NotContains(t, lines, "trail.logging")
}
