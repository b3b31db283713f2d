package tests

// Every input the program gives the AWS provider, written out by hand with
// where its value comes from. The golden plans show the same values for
// review; these expectations are independent of them: a changed input fails
// here even after `go test ./tests -update` has rewritten the golden files.
//
// Sources cited below:
//   [lab]   the lab guide, "Introduction to AWS Key Management Service".
//   [kms]   AWS KMS Developer Guide: "Key spec reference" (SYMMETRIC_DEFAULT,
//           ENCRYPT_DECRYPT), "Key states" (only Enabled keys encrypt),
//           "Deleting AWS KMS keys" (waiting period 7-30 days),
//           "Rotating AWS KMS keys" (yearly automatic rotation),
//           "Aliases" (names begin with alias/).
//   [s3]    Amazon S3 User Guide: "Setting default server-side encryption"
//           (SSE-S3 is AES256), "Controlling ownership of objects"
//           (ACLs enabled = BucketOwnerPreferred), "Blocking public access"
//           (the four switches), "Access control list overview" (canned ACL
//           public-read), "Using SSE-KMS" (x-amz-server-side-encryption
//           aws:kms), "Reducing the cost of SSE-KMS with S3 Bucket Keys".
//   [ct]    AWS CloudTrail User Guide: "Creating a trail with the console"
//           (console trails are multi-Region, log global service events and
//           have log file validation on), "Logging data events" (basic
//           selector value arn:aws:s3 = all current and future buckets),
//           "Working with CloudTrail Insights" (ApiCallRateInsight,
//           ApiErrorRateInsight), "Filtering data events by using advanced
//           event selectors".
//   [bp]    AWS CloudTrail User Guide, "Amazon S3 bucket policy for
//           CloudTrail": the trail needs the policy before it is created
//           (InsufficientS3BucketPolicyException).
//   [race]  S3 answers OperationAborted to concurrent configuration changes
//           of one bucket (S3 API Reference, "Error responses";
//           terraform-provider-aws #7628, #26805, #36873).
//   [readme] this project's documented defaults (README, Configuration).

import (
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/plan"
)

// wantInput is one input with its expected value and why.
type wantInput struct {
	key   string
	value any
	why   string
}

func TestEveryInputOfTheDefaultLab(t *testing.T) {
	r := mustRun(t, nil, defaultEnv())
	bucket := r.outputs["bucketName"].(string)
	keyID := r.outputs["keyId"].(string)
	keyARN := r.outputs["keyArn"].(string)
	tags := map[string]any{"kms-lab:stack": "test"}

	// policy documents, the asset and the generated name are asserted by
	// the tests named in the value's place.
	const checkedElsewhere = "checked elsewhere"
	want := map[string][]wantInput{
		keyType: {
			{"description", "KMS Key for S3 data", "[lab] task 1 step 5"},
			{"keyUsage", "ENCRYPT_DECRYPT", "[lab] task 1 step 3 Symmetric; [kms] key spec reference"},
			{"customerMasterKeySpec", "SYMMETRIC_DEFAULT", "[lab] task 1 step 3; [kms] key spec reference"},
			{"deletionWindowInDays", float64(7), "[kms] the shortest waiting period; [readme] keyDeletionWindowDays"},
			{"enableKeyRotation", true, "[kms] yearly rotation; [readme] keyRotation"},
			{"isEnabled", true, "[kms] key states: only an Enabled key encrypts the lab image"},
			{"policy", checkedElsewhere, "TestKeyIsSymmetricWithConsoleDefaultPolicy, TestPoliciesKeyPolicyStatements"},
			{"tags", tags, "[readme] tags: kms-lab:stack on every taggable resource"},
		},
		aliasType: {
			{"name", "alias/myFirstKey", "[lab] task 1 step 5; [kms] aliases begin with alias/"},
			{"targetKeyId", keyID, "the alias names the lab key"},
		},
		bucketType: {
			{"bucketPrefix", "mycloudtrailbucket", "[lab] task 2 step 4 mycloudtrailbucketNUMBER"},
			{"forceDestroy", true, "[readme] forceDestroy: destroy removes a bucket full of logs"},
			{"tags", tags, "[readme] tags"},
		},
		sseType: {
			{"bucket", bucket, "the trail bucket"},
			{"rules", []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}},
				"[lab] task 2 step 4 log-file SSE-KMS off; [s3] SSE-S3 is AES256"},
		},
		ownerType: {
			{"bucket", bucket, "the trail bucket"},
			{"rule", map[string]any{"objectOwnership": "BucketOwnerPreferred"}, "[lab] task 4 step 12 ACLs enabled; [s3] object ownership"},
		},
		pabType: {
			{"bucket", bucket, "the trail bucket"},
			{"blockPublicAcls", false, "[lab] task 4 step 9; [s3] a public ACL needs BlockPublicAcls off"},
			{"ignorePublicAcls", false, "[lab] task 4 step 9; [s3] a public ACL is ignored unless IgnorePublicAcls is off"},
			{"blockPublicPolicy", true, "[readme] publicAccess object-acl keeps policies blocked"},
			{"restrictPublicBuckets", true, "[readme] publicAccess object-acl keeps public buckets restricted"},
		},
		bucketPolicy: {
			{"bucket", bucket, "the trail bucket"},
			{"policy", checkedElsewhere, "TestTrailBucket, TestPoliciesTrailBucketPolicyStatements"},
		},
		objectType: {
			{"bucket", bucket, "[lab] task 3 step 2: upload to mycloudtrailbucket*"},
			{"key", "lab-image.png", "[readme] objectKey defaults to the image's file name"},
			{"source", checkedElsewhere, "TestLabImage (project-relative asset)"},
			{"contentType", "image/png", "the file's type, so the browser shows the image"},
			{"serverSideEncryption", "aws:kms", "[lab] task 3 step 9 SSE-KMS; [s3] using SSE-KMS"},
			{"kmsKeyId", keyARN, "[lab] task 3 step 11 myFirstKey"},
			{"bucketKeyEnabled", false, "[s3] a bucket key replaces the object ARN in the KMS encryption context; [lab] task 5 looks for the object"},
			{"acl", "public-read", "[lab] task 4 step 17 Make public using ACL; [s3] canned ACL public-read"},
		},
		trailType: {
			{"name", "myTrail", "[lab] task 2 step 4"},
			{"s3BucketName", bucket, "[lab] task 2 step 4: the new bucket"},
			{"isMultiRegionTrail", true, "[ct] console trails are multi-Region"},
			{"includeGlobalServiceEvents", true, "[ct] console trails log global service events"},
			{"enableLogFileValidation", true, "[ct] the console enables log file validation"},
			{"enableLogging", true, "[ct] a console trail starts logging when created"},
			{"eventSelectors", []any{map[string]any{
				"readWriteType":           "All",
				"includeManagementEvents": true,
				"dataResources":           []any{map[string]any{"type": "AWS::S3::Object", "values": []any{"arn:aws:s3"}}},
			}}, "[lab] task 2 steps 6-7 management and data events, basic selectors; [ct] arn:aws:s3 = all buckets"},
			{"insightSelectors", []any{
				map[string]any{"insightType": "ApiCallRateInsight"},
				map[string]any{"insightType": "ApiErrorRateInsight"},
			}, "[lab] task 2 step 9; [ct] Insights types"},
			{"tags", tags, "[readme] tags"},
		},
	}

	seen := map[string]bool{}
	for _, reg := range r.regs {
		if !reg.Custom {
			continue
		}
		seen[reg.Type] = true
		wants, ok := want[reg.Type]
		if !assert.True(t, ok, "resource type %s has no hand-written expectations", reg.Type) {
			continue
		}
		in := inputs(reg)
		var wantKeys []string
		for _, w := range wants {
			wantKeys = append(wantKeys, w.key)
			if w.value == checkedElsewhere {
				continue
			}
			assert.Equal(t, w.value, in[w.key], "%s %s (%s)", reg.Type, w.key, w.why)
		}
		slices.Sort(wantKeys)
		assert.Equal(t, wantKeys, slices.Sorted(maps.Keys(in)), "%s: every input the program sets has a hand-written expectation, and no expected input is missing", reg.Type)
	}
	for typ := range want {
		assert.True(t, seen[typ], "%s is expected but not registered", typ)
	}
}

// TestEveryDependencyEdge lists, for each resource, exactly the resources it
// waits for: the bucket-level chain [race], the trail after the policy [bp],
// the image after the ACL prerequisites [s3], and what inputs reference.
func TestEveryDependencyEdge(t *testing.T) {
	r := mustRun(t, nil, defaultEnv())
	urn := map[string]string{}
	for _, reg := range r.regs {
		if reg.Custom {
			urn[reg.Type] = reg.URN
		}
	}
	want := map[string][]string{
		keyType:      {},
		aliasType:    {keyType},                  // targetKeyId
		bucketType:   {},                         //
		ownerType:    {bucketType},               // first in the chain [race]
		pabType:      {bucketType, ownerType},    // after ownership controls [race]
		bucketPolicy: {bucketType, pabType},      // after the access block [race]
		sseType:      {bucketType, bucketPolicy}, // after the policy [race]
		trailType:    {bucketType, bucketPolicy}, // s3BucketName; policy first [bp]
		// kmsKeyId and bucket; ownership controls first (else
		// AccessControlListNotSupported) and the access block first (else
		// AccessDenied on the public ACL) [s3].
		objectType: {keyType, bucketType, ownerType, pabType},
	}
	for _, reg := range r.regs {
		if !reg.Custom {
			continue
		}
		types, ok := want[reg.Type]
		require.True(t, ok, "no expected edges for %s", reg.Type)
		wantURNs := []string{}
		for _, typ := range types {
			wantURNs = append(wantURNs, urn[typ])
		}
		// The edges as the plan (and labplan's dependsOn) shows them.
		assert.ElementsMatch(t, wantURNs, plan.Dependencies(reg), "dependencies of %s", reg.Type)
	}
}

// With dataEventsScope exclude-trail-bucket the trail switches to advanced
// event selectors (a trail has either kind, never both [ct]): management
// events, and S3 object data events whose resource ARN does not start with
// the trail bucket's object ARN prefix.
func TestDataEventsExcludingTheTrailBucket(t *testing.T) {
	r := mustRun(t, map[string]string{"kms-lab:dataEventsScope": "exclude-trail-bucket"}, defaultEnv())
	in := inputs(r.one(t, trailType))
	bucket := r.outputs["bucketName"].(string)
	assert.NotContains(t, in, "eventSelectors", "basic and advanced selectors cannot be combined")
	assert.Equal(t, []any{
		map[string]any{
			"name":           "Management events",
			"fieldSelectors": []any{map[string]any{"field": "eventCategory", "equals": []any{"Management"}}},
		},
		map[string]any{
			"name": "S3 data events, except the trail's own bucket",
			"fieldSelectors": []any{
				map[string]any{"field": "eventCategory", "equals": []any{"Data"}},
				map[string]any{"field": "resources.type", "equals": []any{"AWS::S3::Object"}},
				map[string]any{"field": "resources.ARN", "notStartsWiths": []any{"arn:aws:s3:::" + bucket + "/"}},
			},
		},
	}, in["advancedEventSelectors"])
	assert.Equal(t, "exclude-trail-bucket", r.outputs["dataEventsScope"])
	assert.Len(t, in["insightSelectors"], 2, "Insights stay on")
}

func TestDataEventsScopeRules(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]string
		want   string
	}{
		{"unknown scope", map[string]string{"kms-lab:dataEventsScope": "some-buckets"},
			`kms-lab:dataEventsScope = "some-buckets": must be one of all-buckets, exclude-trail-bucket`},
		{"scope without data events", map[string]string{"kms-lab:dataEventsScope": "exclude-trail-bucket", "kms-lab:dataEvents": "false"},
			`kms-lab:dataEventsScope = "exclude-trail-bucket": has no effect while dataEvents is false`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runLab(t, tt.values, defaultEnv())
			require.Error(t, r.err)
			assert.Contains(t, r.err.Error(), tt.want)
			assert.Empty(t, r.regs)
		})
	}
}
