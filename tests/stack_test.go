package tests

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/kms-lab/kms-lab/internal/awsmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	labUser      = "arn:aws:iam::111122223333:user/AWSLabsUser-example"
	stackURN     = "urn:pulumi:test::kms-lab::pulumi:pulumi:Stack::kms-lab-test"
	keyType      = "aws:kms/key:Key"
	aliasType    = "aws:kms/alias:Alias"
	bucketType   = "aws:s3/bucketV2:BucketV2"
	sseType      = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	ownerType    = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	pabType      = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	bucketPolicy = "aws:s3/bucketPolicy:BucketPolicy"
	objectType   = "aws:s3/bucketObjectv2:BucketObjectv2"
	trailType    = "aws:cloudtrail/trail:Trail"
)

// asStrings reads a policy value that is a plain string or a list.
func asStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, _ := e.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

func awsPrincipals(stmt map[string]any) []string {
	p, _ := stmt["Principal"].(map[string]any)
	return asStrings(p["AWS"])
}

func TestKeyIsSymmetricWithConsoleDefaultPolicy(t *testing.T) {
	r := mustRun(t, nil, defaultEnv())
	key := r.one(t, keyType)
	in := inputs(key)
	assert.Equal(t, "KMS Key for S3 data", in["description"])
	assert.Equal(t, "ENCRYPT_DECRYPT", in["keyUsage"])
	assert.Equal(t, "SYMMETRIC_DEFAULT", in["customerMasterKeySpec"])
	assert.Equal(t, float64(7), in["deletionWindowInDays"])
	assert.Equal(t, true, in["enableKeyRotation"])

	doc := policyDoc(t, key)
	assert.Equal(t, "2012-10-17", doc["Version"])
	assert.Equal(t, []string{
		"Enable IAM User Permissions",
		"Allow access for Key Administrators",
		"Allow use of the key",
		"Allow attachment of persistent resources",
	}, sids(doc))
	root := statement(doc, "Enable IAM User Permissions")
	assert.Equal(t, []string{"arn:aws:iam::111122223333:root"}, awsPrincipals(root))
	assert.Equal(t, []string{"kms:*"}, asStrings(root["Action"]))
	assert.Equal(t, []string{"*"}, asStrings(root["Resource"]))
	for _, sid := range []string{"Allow access for Key Administrators", "Allow use of the key", "Allow attachment of persistent resources"} {
		assert.Equal(t, []string{labUser}, awsPrincipals(statement(doc, sid)), sid)
	}
	use := statement(doc, "Allow use of the key")
	assert.ElementsMatch(t, []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}, asStrings(use["Action"]))
	grants := statement(doc, "Allow attachment of persistent resources")
	assert.ElementsMatch(t, []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"}, asStrings(grants["Action"]))
	assert.Equal(t, map[string]any{"Bool": map[string]any{"kms:GrantIsForAWSResource": "true"}}, grants["Condition"])
	admin := statement(doc, "Allow access for Key Administrators")
	assert.Contains(t, asStrings(admin["Action"]), "kms:ScheduleKeyDeletion")
	assert.Contains(t, asStrings(admin["Action"]), "kms:CancelKeyDeletion")
	assert.NotContains(t, asStrings(admin["Action"]), "kms:Decrypt", "administrators manage the key but do not use it")

	alias := r.one(t, aliasType)
	assert.Equal(t, "alias/myFirstKey", inputs(alias)["name"])
	assert.NotEmpty(t, inputs(alias)["targetKeyId"])
	assert.Equal(t, r.outputs["keyId"], inputs(alias)["targetKeyId"], "the alias points at the key the mocks created")
}

func TestKeyPolicyPrincipalsFromConfig(t *testing.T) {
	tests := []struct {
		name          string
		values        map[string]string
		wantSids      []string
		wantAdmins    []string
		wantUsers     []string
		wantStatement string
	}{
		{
			name: "several administrators and users, sorted",
			values: map[string]string{
				"kms-lab:keyAdministrators": `["arn:aws:iam::111122223333:role/TeacherAdmin","arn:aws:iam::111122223333:user/AWSLabsUser-a"]`,
				"kms-lab:keyUsers":          `["arn:aws:iam::111122223333:user/AWSLabsUser-b","arn:aws:iam::111122223333:user/AWSLabsUser-a"]`,
			},
			wantSids:   []string{"Enable IAM User Permissions", "Allow access for Key Administrators", "Allow use of the key", "Allow attachment of persistent resources"},
			wantAdmins: []string{"arn:aws:iam::111122223333:role/TeacherAdmin", "arn:aws:iam::111122223333:user/AWSLabsUser-a"},
			wantUsers:  []string{"arn:aws:iam::111122223333:user/AWSLabsUser-a", "arn:aws:iam::111122223333:user/AWSLabsUser-b"},
		},
		{
			name:     "no key users (lab task 6, removed)",
			values:   map[string]string{"kms-lab:keyUsers": `[]`},
			wantSids: []string{"Enable IAM User Permissions", "Allow access for Key Administrators"},
		},
		{
			name:     "no administrators: the root statement still keeps the key manageable",
			values:   map[string]string{"kms-lab:keyAdministrators": `[]`, "kms-lab:keyUsers": `[]`},
			wantSids: []string{"Enable IAM User Permissions"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRun(t, tt.values, defaultEnv())
			doc := policyDoc(t, r.one(t, keyType))
			assert.Equal(t, tt.wantSids, sids(doc))
			if tt.wantAdmins != nil {
				assert.Equal(t, tt.wantAdmins, awsPrincipals(statement(doc, "Allow access for Key Administrators")))
			}
			if tt.wantUsers != nil {
				assert.Equal(t, tt.wantUsers, awsPrincipals(statement(doc, "Allow use of the key")))
				assert.Equal(t, tt.wantUsers, awsPrincipals(statement(doc, "Allow attachment of persistent resources")))
			}
		})
	}
}

func TestDefaultPrincipalIsTheDeployer(t *testing.T) {
	tests := []struct {
		name   string
		caller string
		path   string
		want   string
	}{
		{"IAM user", "arn:aws:iam::111122223333:user/AWSLabsUser-x7", "", "arn:aws:iam::111122223333:user/AWSLabsUser-x7"},
		{"assumed role maps to its role", "arn:aws:sts::111122223333:assumed-role/LabDeployer/ci-run-42", "", "arn:aws:iam::111122223333:role/LabDeployer"},
		{"SSO role keeps its path", "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/alice", "/aws-reserved/sso.amazonaws.com/", "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := defaultEnv()
			env.CallerARN, env.RolePath = tt.caller, tt.path
			r := mustRun(t, nil, env)
			doc := policyDoc(t, r.one(t, keyType))
			for _, sid := range []string{"Allow access for Key Administrators", "Allow use of the key", "Allow attachment of persistent resources"} {
				assert.Equal(t, []string{tt.want}, awsPrincipals(statement(doc, sid)), sid)
			}
			assert.Equal(t, []any{tt.want}, r.outputs["keyAdministrators"])
			assert.Equal(t, []any{tt.want}, r.outputs["keyUsers"])
			assert.NotContains(t, policyString(t, r), ":sts::", "no session ARN may reach the key policy")
		})
	}
}

func policyString(t *testing.T, r *labRun) string {
	s, _ := inputs(r.one(t, keyType))["policy"].(string)
	return s
}

func TestTrailBucket(t *testing.T) {
	r := mustRun(t, nil, defaultEnv())
	b := inputs(r.one(t, bucketType))
	assert.Equal(t, "mycloudtrailbucket", b["bucketPrefix"])
	assert.NotContains(t, b, "bucket", "the name is generated by AWS from the prefix")
	assert.Equal(t, true, b["forceDestroy"])
	bucketName, _ := r.outputs["bucketName"].(string)
	// bucket_prefix: "Creates a unique bucket name beginning with the
	// specified prefix" (pulumi-aws BucketV2 docs); the rest is AWS's.
	assert.True(t, strings.HasPrefix(bucketName, "mycloudtrailbucket"), bucketName)

	sse := inputs(r.one(t, sseType))
	assert.Equal(t, []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}}, sse["rules"])
	assert.Equal(t, bucketName, sse["bucket"])

	own := inputs(r.one(t, ownerType))
	assert.Equal(t, map[string]any{"objectOwnership": "BucketOwnerPreferred"}, own["rule"])

	doc := policyDoc(t, r.one(t, bucketPolicy))
	trailARN := "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail"
	acl := statement(doc, "AWSCloudTrailAclCheck20150319")
	require.NotNil(t, acl)
	assert.Equal(t, map[string]any{"Service": "cloudtrail.amazonaws.com"}, acl["Principal"])
	assert.Equal(t, []string{"s3:GetBucketAcl"}, asStrings(acl["Action"]))
	assert.Equal(t, []string{"arn:aws:s3:::" + bucketName}, asStrings(acl["Resource"]))
	assert.Equal(t, map[string]any{"StringEquals": map[string]any{"aws:SourceArn": trailARN}}, acl["Condition"])
	write := statement(doc, "AWSCloudTrailWrite20150319")
	require.NotNil(t, write)
	assert.Equal(t, []string{"s3:PutObject"}, asStrings(write["Action"]))
	assert.Equal(t, []string{"arn:aws:s3:::" + bucketName + "/AWSLogs/111122223333/*"}, asStrings(write["Resource"]))
	assert.Equal(t, map[string]any{"StringEquals": map[string]any{
		"aws:SourceArn": trailARN,
		"s3:x-amz-acl":  "bucket-owner-full-control",
	}}, write["Condition"])
	assert.Equal(t, trailARN, r.outputs["trailArn"], "the policy's SourceArn is the ARN the trail gets")
	assert.Contains(t, r.one(t, bucketPolicy).DependsOn, r.one(t, pabType).URN,
		"the policy waits for the access block: S3 answers OperationAborted to concurrent bucket changes")
}

func TestPublicAccessModes(t *testing.T) {
	tests := []struct {
		mode                                      string
		acl                                       string
		blockACLs, ignoreACLs, blockPol, restrict bool
	}{
		{"object-acl", "true", false, false, true, true},
		{"all-off", "true", false, false, false, false},
		{"blocked", "false", true, true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			r := mustRun(t, map[string]string{"kms-lab:publicAccess": tt.mode, "kms-lab:publicObjectAcl": tt.acl}, defaultEnv())
			in := inputs(r.one(t, pabType))
			assert.Equal(t, tt.blockACLs, in["blockPublicAcls"])
			assert.Equal(t, tt.ignoreACLs, in["ignorePublicAcls"])
			assert.Equal(t, tt.blockPol, in["blockPublicPolicy"])
			assert.Equal(t, tt.restrict, in["restrictPublicBuckets"])
		})
	}
}

func TestAuditTrail(t *testing.T) {
	r := mustRun(t, nil, defaultEnv())
	trail := r.one(t, trailType)
	in := inputs(trail)
	assert.Equal(t, "myTrail", in["name"])
	assert.Equal(t, r.outputs["bucketName"], in["s3BucketName"])
	assert.Equal(t, true, in["isMultiRegionTrail"])
	assert.Equal(t, true, in["includeGlobalServiceEvents"])
	assert.Equal(t, true, in["enableLogFileValidation"])
	assert.Equal(t, true, in["enableLogging"])
	assert.NotContains(t, in, "kmsKeyId", "log-file SSE-KMS is off in the lab")
	assert.Equal(t, []any{map[string]any{
		"readWriteType":           "All",
		"includeManagementEvents": true,
		"dataResources":           []any{map[string]any{"type": "AWS::S3::Object", "values": []any{"arn:aws:s3"}}},
	}}, in["eventSelectors"])
	assert.Equal(t, []any{
		map[string]any{"insightType": "ApiCallRateInsight"},
		map[string]any{"insightType": "ApiErrorRateInsight"},
	}, in["insightSelectors"])

	policy := r.one(t, bucketPolicy)
	assert.Contains(t, trail.DependsOn, policy.URN, "the trail waits for the bucket policy (else InsufficientS3BucketPolicyException)")
}

func TestTrailCostSwitches(t *testing.T) {
	r := mustRun(t, map[string]string{"kms-lab:dataEvents": "false", "kms-lab:insights": "false"}, defaultEnv())
	in := inputs(r.one(t, trailType))
	assert.Equal(t, []any{map[string]any{"readWriteType": "All", "includeManagementEvents": true}}, in["eventSelectors"])
	assert.NotContains(t, in, "insightSelectors")
	assert.Equal(t, []any{}, r.outputs["insightTypes"])
	assert.Equal(t, false, r.outputs["dataEvents"])
	assert.Equal(t, "none", r.outputs["dataEventsScope"], "README, Outputs: none when data events are off")
}

func TestLabImage(t *testing.T) {
	for _, public := range []bool{true, false} {
		t.Run(map[bool]string{true: "public-read", false: "private"}[public], func(t *testing.T) {
			values := map[string]string{}
			if !public {
				values["kms-lab:publicObjectAcl"] = "false"
			}
			r := mustRun(t, values, defaultEnv())
			obj := r.one(t, objectType)
			in := inputs(obj)
			assert.Equal(t, "lab-image.png", in["key"])
			assert.Equal(t, r.outputs["bucketName"], in["bucket"])
			assert.Equal(t, "image/png", in["contentType"])
			assert.Equal(t, "aws:kms", in["serverSideEncryption"])
			assert.Equal(t, r.outputs["keyArn"], in["kmsKeyId"])
			assert.Equal(t, false, in["bucketKeyEnabled"], "a bucket key would hide the object ARN from the KMS events of lab task 5")
			assert.Equal(t, map[bool]string{true: "public-read", false: "private"}[public], in["acl"])
			src, ok := obj.Inputs["source"]
			require.True(t, ok)
			require.True(t, src.IsAsset())
			assert.Equal(t, "assets/lab-image.png", src.AssetValue().Path,
				"relative to the project directory, so no checkout path reaches the state")

			own, pab := r.one(t, ownerType), r.one(t, pabType)
			assert.Contains(t, obj.DependsOn, own.URN, "ACLs need the ownership controls (else AccessControlListNotSupported)")
			assert.Contains(t, obj.DependsOn, pab.URN, "a public ACL needs the access block relaxed first (else AccessDenied)")
		})
	}
}

func TestEveryChildHasItsComponentParent(t *testing.T) {
	r := mustRun(t, nil, defaultEnv())
	byURN := map[string]awsmock.Registration{}
	for _, reg := range r.regs {
		byURN[reg.URN] = reg
	}
	wantParent := map[string]string{
		keyType: "kms-lab:kms:EncryptionKey", aliasType: "kms-lab:kms:EncryptionKey",
		bucketType: "kms-lab:s3:TrailBucket", sseType: "kms-lab:s3:TrailBucket", ownerType: "kms-lab:s3:TrailBucket",
		pabType: "kms-lab:s3:TrailBucket", bucketPolicy: "kms-lab:s3:TrailBucket",
		trailType:  "kms-lab:cloudtrail:AuditTrail",
		objectType: "kms-lab:s3:LabImage",
	}
	var types []string
	for _, reg := range r.regs {
		types = append(types, reg.Type)
		if strings.HasPrefix(reg.Type, "kms-lab:") {
			assert.Equal(t, stackURN, reg.Parent, "component %s sits under the stack", reg.Type)
			continue
		}
		want, ok := wantParent[reg.Type]
		if !assert.True(t, ok, "unexpected resource type %s", reg.Type) {
			continue
		}
		parent, ok := byURN[reg.Parent]
		if assert.True(t, ok, "%s has parent %q, which is not a registered component", reg.Type, reg.Parent) {
			assert.Equal(t, want, parent.Type, "parent of %s", reg.Type)
		}
	}
	sort.Strings(types)
	assert.Len(t, r.regs, 13, "4 components and 9 AWS resources: %v", types)
}

// TestOutputs checks which value each output carries. Key IDs, ARNs and the
// generated bucket name are the mocks' stand-ins (shaped as AWS documents
// them: arn:aws:kms:REGION:ACCOUNT:key/KEY-ID, arn:aws:cloudtrail:REGION:
// ACCOUNT:trail/NAME); what is asserted is the wiring - keyArn is the key's
// ARN, the URLs are built from the bucket, key and trail the program made -
// not the values themselves.
func TestOutputs(t *testing.T) {
	r := mustRun(t, nil, defaultEnv())
	o := r.outputs
	bucket := o["bucketName"].(string)
	keyID := o["keyId"].(string)
	assert.Equal(t, "arn:aws:kms:us-west-2:111122223333:key/"+keyID, o["keyArn"])
	assert.Equal(t, "alias/myFirstKey", o["keyAlias"])
	assert.Equal(t, "lab-image.png", o["objectKey"])
	assert.Equal(t, "https://"+bucket+".s3.us-west-2.amazonaws.com/lab-image.png", o["objectUrl"])
	assert.Equal(t, "myTrail", o["trailName"])
	assert.Equal(t, "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail", o["trailArn"])
	assert.Equal(t, "AWSLogs/111122223333/CloudTrail/us-west-2/", o["logPrefix"])
	assert.Equal(t, "111122223333", o["accountId"])
	assert.Equal(t, "us-west-2", o["region"])
	assert.Equal(t, "aws", o["partition"])
	assert.Equal(t, true, o["keyRotationEnabled"])
	assert.Equal(t, "all-buckets", o["dataEventsScope"], "the lab's basic selector: all current and future buckets")
	assert.Equal(t, true, o["publicObjectAcl"])
	assert.Equal(t, "BucketOwnerPreferred", o["objectOwnership"])
	assert.Equal(t, "AES256", o["bucketEncryption"])
	assert.Equal(t, []any{"ApiCallRateInsight", "ApiErrorRateInsight"}, o["insightTypes"])
	assert.Equal(t, map[string]any{"blockPublicAcls": false, "ignorePublicAcls": false, "blockPublicPolicy": true, "restrictPublicBuckets": true}, o["publicAccessBlock"])
	urls := o["consoleUrls"].(map[string]any)
	assert.Equal(t, "https://console.aws.amazon.com/kms/home?region=us-west-2#/kms/keys/"+keyID, urls["key"])
	assert.Equal(t, "https://console.aws.amazon.com/s3/buckets/"+bucket+"?region=us-west-2&prefix=AWSLogs/111122223333/CloudTrail/us-west-2/", urls["logs"])
	assert.Equal(t, "https://console.aws.amazon.com/s3/buckets/"+bucket+"?region=us-west-2&tab=objects", urls["bucket"])
	assert.Equal(t, "https://console.aws.amazon.com/s3/object/"+bucket+"?region=us-west-2&prefix=lab-image.png", urls["object"])
	assert.Equal(t, "https://console.aws.amazon.com/cloudtrail/home?region=us-west-2#/trails/arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail", urls["trail"])
}

func TestOtherPartitionsAndRegions(t *testing.T) {
	tests := []struct {
		env       awsmock.Env
		dnsSuffix string
		console   string
	}{
		{awsmock.Env{AccountID: "444455556666", Region: "cn-north-1", Partition: "aws-cn"}, "amazonaws.com.cn", "console.amazonaws.cn"},
		{awsmock.Env{AccountID: "777788889999", Region: "us-gov-west-1", Partition: "aws-us-gov"}, "amazonaws.com", "console.amazonaws-us-gov.com"},
		{awsmock.Env{AccountID: "111122223333", Region: "eu-central-1", Partition: "aws"}, "amazonaws.com", "console.aws.amazon.com"},
	}
	for _, tt := range tests {
		t.Run(tt.env.Partition+"/"+tt.env.Region, func(t *testing.T) {
			r := mustRun(t, nil, tt.env)
			p, acct, region := tt.env.Partition, tt.env.AccountID, tt.env.Region
			doc := policyDoc(t, r.one(t, keyType))
			assert.Equal(t, []string{"arn:" + p + ":iam::" + acct + ":root"}, awsPrincipals(statement(doc, "Enable IAM User Permissions")))
			assert.Equal(t, []string{"arn:" + p + ":iam::" + acct + ":user/AWSLabsUser-example"}, awsPrincipals(statement(doc, "Allow use of the key")))
			bucket := r.outputs["bucketName"].(string)
			bp := policyDoc(t, r.one(t, bucketPolicy))
			trailARN := "arn:" + p + ":cloudtrail:" + region + ":" + acct + ":trail/myTrail"
			assert.Equal(t, []string{"arn:" + p + ":s3:::" + bucket + "/AWSLogs/" + acct + "/*"}, asStrings(statement(bp, "AWSCloudTrailWrite20150319")["Resource"]))
			assert.Equal(t, trailARN, statement(bp, "AWSCloudTrailWrite20150319")["Condition"].(map[string]any)["StringEquals"].(map[string]any)["aws:SourceArn"])
			sel := inputs(r.one(t, trailType))["eventSelectors"].([]any)[0].(map[string]any)
			assert.Equal(t, []any{map[string]any{"type": "AWS::S3::Object", "values": []any{"arn:" + p + ":s3"}}}, sel["dataResources"])
			assert.Equal(t, "arn:"+p+":kms:"+region+":"+acct+":key/"+r.outputs["keyId"].(string), r.outputs["keyArn"])
			assert.Equal(t, trailARN, r.outputs["trailArn"])
			assert.Equal(t, "https://"+bucket+".s3."+region+"."+tt.dnsSuffix+"/lab-image.png", r.outputs["objectUrl"])
			assert.True(t, strings.HasPrefix(r.outputs["consoleUrls"].(map[string]any)["key"].(string), "https://"+tt.console+"/"))
		})
	}
}

func TestInvalidConfigRegistersNothing(t *testing.T) {
	r := runLab(t, map[string]string{
		"kms-lab:keyAlias":              "aws/lab",
		"kms-lab:keyDeletionWindowDays": "45",
		"kms-lab:keyUsers":              `["not-an-arn"]`,
	}, defaultEnv())
	require.Error(t, r.err)
	for _, want := range []string{"(3 problems)", `kms-lab:keyAlias = "aws/lab"`, `kms-lab:keyDeletionWindowDays = "45"`, `kms-lab:keyUsers = "not-an-arn"`} {
		assert.Contains(t, r.err.Error(), want)
	}
	assert.Empty(t, r.regs, "nothing may be registered when the config is invalid")
}

func TestPrincipalInOtherPartitionIsReportedWithOtherProblems(t *testing.T) {
	env := awsmock.Env{AccountID: "444455556666", Region: "cn-north-1", Partition: "aws-cn"}
	r := runLab(t, map[string]string{
		"kms-lab:keyUsers": `["arn:aws:iam::444455556666:user/a"]`,
		"kms-lab:keyAlias": "aws/x",
	}, env)
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), "(2 problems)", "one run reports both")
	assert.Contains(t, r.err.Error(), `kms-lab:keyUsers = "arn:aws:iam::444455556666:user/a": is not in partition aws-cn`)
	assert.Empty(t, r.regs)
}

func TestRunsAreByteIdentical(t *testing.T) {
	a := mustRun(t, nil, defaultEnv())
	b := mustRun(t, nil, defaultEnv())
	require.Equal(t, len(a.regs), len(b.regs))
	for i := range a.regs {
		assert.Equal(t, a.regs[i].URN, b.regs[i].URN)
		ja, err := json.Marshal(a.regs[i].Inputs.Mappable())
		require.NoError(t, err)
		jb, err := json.Marshal(b.regs[i].Inputs.Mappable())
		require.NoError(t, err)
		assert.Equal(t, string(ja), string(jb), "inputs of %s", a.regs[i].URN)
	}
	assert.Equal(t, a.outputs, b.outputs)
}

func TestMocksRejectUnknownTokens(t *testing.T) {
	m := &awsmock.Mocks{Env: defaultEnv()}
	_, err := m.Call(pulumiCall("aws:ec2/getAmi:getAmi"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown call token "aws:ec2/getAmi:getAmi"`)
	_, _, err = m.NewResource(pulumiResource("aws:ec2/instance:Instance"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown resource type "aws:ec2/instance:Instance"`)
}
