package tests

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/micahhausler/aws-iam-policy/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/policies"
)

// The policy tests build documents with the policies package directly, render
// them and compare against golden JSON in testdata/policies. Rewrite the
// golden files after an intended change with:
//
//	go test ./tests -run Policies -update
//
// and review the diff: it is exactly what AWS will receive.

const (
	polAccount = "111122223333"
	polLabUser = "arn:aws:iam::111122223333:user/AWSLabsUser-example"
)

var polGoldenDir = filepath.Join("testdata", "policies")

type polKeyCase struct {
	name string
	args policies.KeyPolicyArgs
}

// polKeyCases are the key-policy golden cases; each name is a golden file.
func polKeyCases() []polKeyCase {
	return []polKeyCase{
		{"key-lab-default", policies.KeyPolicyArgs{
			Partition: "aws", AccountID: polAccount,
			Administrators: []string{polLabUser},
			Users:          []string{polLabUser},
		}},
		{"key-several-principals", policies.KeyPolicyArgs{
			Partition: "aws", AccountID: polAccount,
			// Unsorted, with duplicates: the output must be sorted and unique.
			Administrators: []string{
				"arn:aws:iam::111122223333:user/Zoe",
				"arn:aws:iam::111122223333:role/TeacherAdmin",
				"arn:aws:iam::111122223333:user/Zoe",
				"arn:aws:iam::111122223333:role/Auditor",
			},
			Users: []string{
				"arn:aws:iam::111122223333:user/AWSLabsUser-b",
				"arn:aws:iam::444455556666:root",
				"arn:aws:iam::111122223333:user/AWSLabsUser-a",
				"arn:aws:iam::111122223333:user/AWSLabsUser-b",
			},
		}},
		{"key-no-administrators", policies.KeyPolicyArgs{
			Partition: "aws", AccountID: polAccount,
			Users: []string{polLabUser},
		}},
		{"key-no-users", policies.KeyPolicyArgs{
			Partition: "aws", AccountID: polAccount,
			Administrators: []string{polLabUser},
			Users:          []string{},
		}},
		{"key-root-only", policies.KeyPolicyArgs{
			Partition: "aws", AccountID: polAccount,
		}},
		{"key-aws-us-gov", policies.KeyPolicyArgs{
			Partition: "aws-us-gov", AccountID: polAccount,
			Administrators: []string{"arn:aws-us-gov:iam::111122223333:role/Admin"},
			Users:          []string{"arn:aws-us-gov:iam::111122223333:role/App", "arn:aws-us-gov:iam::111122223333:role/Admin"},
		}},
		{"key-aws-cn", policies.KeyPolicyArgs{
			Partition: "aws-cn", AccountID: polAccount,
			Administrators: []string{"arn:aws-cn:iam::111122223333:user/admin"},
			Users:          []string{"arn:aws-cn:iam::111122223333:user/admin"},
		}},
	}
}

type polTrailCase struct {
	name string
	args policies.TrailBucketPolicyArgs
}

// polTrailCases are the bucket-policy golden cases; each name is a golden file.
func polTrailCases() []polTrailCase {
	return []polTrailCase{
		{"trail-bucket-aws", policies.TrailBucketPolicyArgs{
			Partition: "aws", Region: "us-west-2", AccountID: polAccount,
			BucketName: "mycloudtrailbucket12345678901234567890123456", TrailName: "myTrail",
		}},
		{"trail-bucket-aws-cn", policies.TrailBucketPolicyArgs{
			Partition: "aws-cn", Region: "cn-north-1", AccountID: polAccount,
			BucketName: "mycloudtrailbucket12345678901234567890123456", TrailName: "myTrail",
		}},
		{"trail-bucket-aws-us-gov", policies.TrailBucketPolicyArgs{
			Partition: "aws-us-gov", Region: "us-gov-west-1", AccountID: polAccount,
			BucketName: "mycloudtrailbucket12345678901234567890123456", TrailName: "myTrail",
		}},
	}
}

func polRenderKey(t *testing.T, args policies.KeyPolicyArgs) string {
	t.Helper()
	doc, err := policies.KeyPolicy(args)
	require.NoError(t, err)
	out, err := policies.Render(doc)
	require.NoError(t, err)
	return out
}

func polRenderTrail(t *testing.T, args policies.TrailBucketPolicyArgs) string {
	t.Helper()
	doc, err := policies.TrailBucketPolicy(args)
	require.NoError(t, err)
	out, err := policies.Render(doc)
	require.NoError(t, err)
	return out
}

// polGolden compares got with testdata/policies/<name>.json, or rewrites the
// file under -update. Files end in a newline; Render's output does not.
func polGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(polGoldenDir, name+".json")
	if *update {
		require.NoError(t, os.MkdirAll(polGoldenDir, 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got+"\n"), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run: go test ./tests -run Policies -update")
	assert.Equal(t, string(want), got+"\n", "%s differs; if intended, run: go test ./tests -run Policies -update", path)
}

// polDecode parses rendered JSON the way AWS would see it.
func polDecode(t *testing.T, s string) map[string]any {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &doc))
	return doc
}

func polStatements(doc map[string]any) []map[string]any {
	var out []map[string]any
	list, _ := doc["Statement"].([]any)
	for _, s := range list {
		if m, ok := s.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func polSids(doc map[string]any) []string {
	var out []string
	for _, s := range polStatements(doc) {
		sid, _ := s["Sid"].(string)
		out = append(out, sid)
	}
	return out
}

func polStatement(t *testing.T, doc map[string]any, sid string) map[string]any {
	t.Helper()
	for _, s := range polStatements(doc) {
		if s["Sid"] == sid {
			return s
		}
	}
	require.Failf(t, "statement not found", "no statement with Sid %q in %v", sid, polSids(doc))
	return nil
}

func polAWSPrincipal(stmt map[string]any) any {
	p, _ := stmt["Principal"].(map[string]any)
	return p["AWS"]
}

func TestPoliciesKeyPolicyGolden(t *testing.T) {
	for _, tc := range polKeyCases() {
		t.Run(tc.name, func(t *testing.T) {
			polGolden(t, tc.name, polRenderKey(t, tc.args))
		})
	}
}

func TestPoliciesTrailBucketPolicyGolden(t *testing.T) {
	for _, tc := range polTrailCases() {
		t.Run(tc.name, func(t *testing.T) {
			polGolden(t, tc.name, polRenderTrail(t, tc.args))
		})
	}
}

func TestPoliciesKeyPolicyStatements(t *testing.T) {
	all := []string{policies.SidRootAccess, policies.SidKeyAdministrators, policies.SidKeyUsers, policies.SidPersistentGrants}
	tests := []struct {
		name     string
		admins   []string
		users    []string
		wantSids []string
	}{
		{"admins and users", []string{polLabUser}, []string{polLabUser}, all},
		{"no administrators drops only their statement", nil, []string{polLabUser},
			[]string{policies.SidRootAccess, policies.SidKeyUsers, policies.SidPersistentGrants}},
		{"no users drops both user statements", []string{polLabUser}, []string{},
			[]string{policies.SidRootAccess, policies.SidKeyAdministrators}},
		{"nobody still leaves the account root", nil, nil, []string{policies.SidRootAccess}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := polDecode(t, polRenderKey(t, policies.KeyPolicyArgs{
				Partition: "aws", AccountID: polAccount, Administrators: tt.admins, Users: tt.users,
			}))
			assert.Equal(t, "2012-10-17", doc["Version"])
			assert.Equal(t, "key-consolepolicy-3", doc["Id"])
			assert.Equal(t, tt.wantSids, polSids(doc))

			root := polStatement(t, doc, policies.SidRootAccess)
			assert.Equal(t, "Allow", root["Effect"])
			assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::111122223333:root"}, root["Principal"])
			assert.Equal(t, "kms:*", root["Action"])
			assert.Equal(t, "*", root["Resource"])
			assert.NotContains(t, root, "Condition")

			for _, s := range polStatements(doc) {
				assert.Equal(t, "Allow", s["Effect"], s["Sid"])
				assert.Equal(t, "*", s["Resource"], "a key policy's Resource is the key itself: %v", s["Sid"])
			}
			if slices.Contains(tt.wantSids, policies.SidPersistentGrants) {
				grants := polStatement(t, doc, policies.SidPersistentGrants)
				assert.Equal(t, map[string]any{"Bool": map[string]any{"kms:GrantIsForAWSResource": "true"}}, grants["Condition"])
				assert.Equal(t, []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"}, asStrings(grants["Action"]))
				use := polStatement(t, doc, policies.SidKeyUsers)
				assert.Equal(t, []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}, asStrings(use["Action"]))
				assert.NotContains(t, use, "Condition")
			}
			if slices.Contains(tt.wantSids, policies.SidKeyAdministrators) {
				admin := polStatement(t, doc, policies.SidKeyAdministrators)
				actions := asStrings(admin["Action"])
				// The console's default key policy for a symmetric key, "Allows
				// key administrators to administer the KMS key" (AWS KMS
				// Developer Guide, "Default key policy"), plus the on-demand
				// rotation action the console added in 2024.
				assert.Equal(t, []string{
					"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
					"kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
					"kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
				}, actions)
				assert.Contains(t, actions, "kms:ScheduleKeyDeletion")
				assert.Contains(t, actions, "kms:CancelKeyDeletion")
				assert.Contains(t, actions, "kms:RotateKeyOnDemand")
				for _, a := range actions {
					assert.NotContains(t, []string{"kms:*", "kms:Encrypt", "kms:Decrypt"}, a,
						"administrators manage the key but do not use it")
				}
			}
		})
	}
}

func TestPoliciesKeyPolicyPrincipals(t *testing.T) {
	admins := []string{"arn:aws:iam::111122223333:user/b", "arn:aws:iam::111122223333:user/a", "arn:aws:iam::111122223333:user/b"}
	users := []string{"arn:aws:iam::111122223333:role/z", "arn:aws:iam::111122223333:role/z"}
	adminsBefore, usersBefore := slices.Clone(admins), slices.Clone(users)

	doc := polDecode(t, polRenderKey(t, policies.KeyPolicyArgs{
		Partition: "aws", AccountID: polAccount, Administrators: admins, Users: users,
	}))
	assert.Equal(t, []any{"arn:aws:iam::111122223333:user/a", "arn:aws:iam::111122223333:user/b"},
		polAWSPrincipal(polStatement(t, doc, policies.SidKeyAdministrators)), "sorted and de-duplicated")
	for _, sid := range []string{policies.SidKeyUsers, policies.SidPersistentGrants} {
		assert.Equal(t, "arn:aws:iam::111122223333:role/z", polAWSPrincipal(polStatement(t, doc, sid)),
			"a single principal, after de-duplication, is a plain string: %s", sid)
	}
	assert.Equal(t, adminsBefore, admins, "the caller's slice is not sorted in place")
	assert.Equal(t, usersBefore, users)
}

func TestPoliciesKeyPolicyPartitions(t *testing.T) {
	for _, partition := range []string{"aws", "aws-cn", "aws-us-gov"} {
		t.Run(partition, func(t *testing.T) {
			doc := polDecode(t, polRenderKey(t, policies.KeyPolicyArgs{Partition: partition, AccountID: polAccount}))
			root := polStatement(t, doc, policies.SidRootAccess)
			want := "arn:" + partition + ":iam::111122223333:root"
			assert.Equal(t, want, polAWSPrincipal(root))
			assert.Equal(t, want, policies.AccountRootARN(partition, polAccount))
		})
	}
}

func TestPoliciesTrailBucketPolicyStatements(t *testing.T) {
	for _, tc := range polTrailCases() {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.args
			doc := polDecode(t, polRenderTrail(t, a))
			assert.Equal(t, "2012-10-17", doc["Version"])
			assert.NotContains(t, doc, "Id")
			assert.Equal(t, []string{policies.SidCloudTrailAclCheck, policies.SidCloudTrailWrite}, polSids(doc))

			trailARN := policies.TrailARN(a.Partition, a.Region, a.AccountID, a.TrailName)
			assert.Equal(t, "arn:"+a.Partition+":cloudtrail:"+a.Region+":111122223333:trail/myTrail", trailARN)
			bucketARN := "arn:" + a.Partition + ":s3:::" + a.BucketName
			assert.Equal(t, bucketARN, policies.BucketARN(a.Partition, a.BucketName))

			acl := polStatement(t, doc, policies.SidCloudTrailAclCheck)
			assert.Equal(t, "Allow", acl["Effect"])
			assert.Equal(t, map[string]any{"Service": "cloudtrail.amazonaws.com"}, acl["Principal"],
				"CloudTrail's service principal has no per-partition name")
			assert.Equal(t, "s3:GetBucketAcl", acl["Action"])
			assert.Equal(t, bucketARN, acl["Resource"])
			assert.Equal(t, map[string]any{"StringEquals": map[string]any{"aws:SourceArn": trailARN}}, acl["Condition"])

			write := polStatement(t, doc, policies.SidCloudTrailWrite)
			assert.Equal(t, "Allow", write["Effect"])
			assert.Equal(t, map[string]any{"Service": "cloudtrail.amazonaws.com"}, write["Principal"])
			assert.Equal(t, "s3:PutObject", write["Action"])
			resource, _ := write["Resource"].(string)
			// CloudTrail writes to <bucket>/AWSLogs/<account>/... (CloudTrail
			// User Guide, "Amazon S3 bucket policy for CloudTrail").
			assert.Equal(t, bucketARN+"/AWSLogs/111122223333/*", resource)
			assert.True(t, strings.HasPrefix(resource, bucketARN+"/"), "PutObject is limited to objects of this bucket")
			assert.Equal(t, map[string]any{"StringEquals": map[string]any{
				"aws:SourceArn": trailARN,
				"s3:x-amz-acl":  "bucket-owner-full-control",
			}}, write["Condition"])
		})
	}
}

func TestPoliciesARNs(t *testing.T) {
	assert.Equal(t, "arn:aws:cloudtrail:us-east-1:111122223333:trail/myTrail", policies.TrailARN("aws", "us-east-1", polAccount, "myTrail"))
	assert.Equal(t, "arn:aws-cn:cloudtrail:cn-northwest-1:111122223333:trail/t-1", policies.TrailARN("aws-cn", "cn-northwest-1", polAccount, "t-1"))
	assert.Equal(t, "arn:aws-us-gov:iam::111122223333:root", policies.AccountRootARN("aws-us-gov", polAccount))
	assert.Equal(t, "arn:aws:s3:::b", policies.BucketARN("aws", "b"))
	assert.Equal(t, "arn:aws-cn:s3:::b/", policies.ObjectARN("aws-cn", "b", ""), "all objects, as data event selectors write it")
	assert.Equal(t, "arn:aws:s3:::b/k/*", policies.ObjectARN("aws", "b", "k/*"))
	assert.Equal(t, "arn:aws:s3:::b/AWSLogs/111122223333/*", policies.TrailLogObjectsARN("aws", "b", polAccount))
	assert.Equal(t, "arn:aws:kms:us-east-1:111122223333:key/k", policies.ARN("aws", "kms", "us-east-1", polAccount, "key/k"))
	assert.Equal(t, "cloudtrail.amazonaws.com", policies.CloudTrailServicePrincipal)
	// AWS General Reference, regions by partition.
	for region, partition := range map[string]string{"us-west-2": "aws", "eu-central-1": "aws", "cn-north-1": "aws-cn", "cn-northwest-1": "aws-cn", "us-gov-west-1": "aws-us-gov"} {
		assert.Equal(t, partition, policies.PartitionOfRegion(region), region)
	}
}

func TestPoliciesActionListsAreCopies(t *testing.T) {
	for name, f := range map[string]func() []string{
		"KeyAdministratorActions": policies.KeyAdministratorActions,
		"KeyUserActions":          policies.KeyUserActions,
		"KeyGrantActions":         policies.KeyGrantActions,
	} {
		first := f()
		want := slices.Clone(first)
		first[0] = "kms:Tampered"
		assert.Equal(t, want, f(), "%s hands out a fresh slice each call", name)
	}
	assert.Equal(t, []string{
		"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
		"kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource",
		"kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
	}, policies.KeyAdministratorActions(), "the console's list, in the console's order")
}

// TestPoliciesRoundTrip parses each rendering back into the library's types
// and renders again: the bytes must not change, so what AWS returns for a
// policy this program set compares equal after Render.
func TestPoliciesRoundTrip(t *testing.T) {
	var rendered []string
	for _, tc := range polKeyCases() {
		rendered = append(rendered, polRenderKey(t, tc.args))
	}
	for _, tc := range polTrailCases() {
		rendered = append(rendered, polRenderTrail(t, tc.args))
	}
	for _, first := range rendered {
		var parsed policy.Policy
		require.NoError(t, json.Unmarshal([]byte(first), &parsed))
		again, err := policies.Render(&parsed)
		require.NoError(t, err)
		assert.Equal(t, first, again)
	}
}

func TestPoliciesPrincipalOrderDoesNotMatter(t *testing.T) {
	args := polKeyCases()[1].args
	want := polRenderKey(t, args)
	// The same principals in another order are the same policy.
	shuffled := args
	shuffled.Administrators = slices.Clone(args.Administrators)
	slices.Reverse(shuffled.Administrators)
	shuffled.Users = slices.Clone(args.Users)
	slices.Reverse(shuffled.Users)
	assert.Equal(t, want, polRenderKey(t, shuffled))

}

// TestPoliciesRenderIsCanonical feeds Render a document written the way the
// library's own example writes it: one-element lists, statements whose keys
// the library would order alphabetically, and HTML-sensitive characters.
func TestPoliciesRenderIsCanonical(t *testing.T) {
	doc := &policy.Policy{
		Version: policy.VersionLatest,
		Id:      "example & <test>",
		Statements: policy.NewStatementOrSlice(policy.Statement{
			Sid:       "Write",
			Effect:    policy.EffectAllow,
			Principal: policy.NewServicePrincipal("cloudtrail.amazonaws.com"),
			Action:    policy.NewStringOrSlice(false, "s3:PutObject"),
			Resource:  policy.NewStringOrSlice(false, "arn:aws:s3:::b/*"),
			Condition: map[string]map[string]*policy.ConditionValue{
				"StringEquals": {"s3:x-amz-acl": policy.NewConditionValueString(false, "bucket-owner-full-control")},
				"Bool":         {"aws:SecureTransport": policy.NewConditionValueBool(true, true)},
			},
		}),
	}
	got, err := policies.Render(doc)
	require.NoError(t, err)
	assert.Equal(t, `{
  "Version": "2012-10-17",
  "Id": "example & <test>",
  "Statement": [
    {
      "Sid": "Write",
      "Effect": "Allow",
      "Principal": {
        "Service": "cloudtrail.amazonaws.com"
      },
      "Action": "s3:PutObject",
      "Resource": "arn:aws:s3:::b/*",
      "Condition": {
        "Bool": {
          "aws:SecureTransport": true
        },
        "StringEquals": {
          "s3:x-amz-acl": "bucket-owner-full-control"
        }
      }
    }
  ]
}`, got)

	// The library alone orders keys alphabetically and keeps one-element
	// lists as lists; Render exists because of this difference.
	raw, err := json.Marshal(doc)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(raw), `{"Id":`), "library output starts with Id: %s", raw)
	assert.Contains(t, string(raw), `"Action":["s3:PutObject"]`)
}

func TestPoliciesRenderWildcardPrincipal(t *testing.T) {
	got, err := policies.Render(&policy.Policy{
		Version: policy.VersionLatest,
		Statements: policy.NewStatementOrSlice(policy.Statement{
			Effect:    policy.EffectDeny,
			Principal: policy.NewGlobalPrincipal(),
			Action:    policy.NewStringOrSlice(true, "s3:*"),
			Resource:  policy.NewStringOrSlice(true, "arn:aws:s3:::b", "arn:aws:s3:::b/*"),
			Condition: map[string]map[string]*policy.ConditionValue{
				"Bool": {"aws:SecureTransport": policy.NewConditionValueString(true, "false")},
			},
		}),
	})
	require.NoError(t, err)
	doc := polDecode(t, got)
	stmt := polStatements(doc)[0]
	assert.Equal(t, "*", stmt["Principal"])
	assert.Equal(t, []any{"arn:aws:s3:::b", "arn:aws:s3:::b/*"}, stmt["Resource"])
	assert.NotContains(t, stmt, "Sid")
}

func TestPoliciesRenderRejectsInvalidDocuments(t *testing.T) {
	valid := func() policy.Statement {
		return policy.Statement{
			Effect:    policy.EffectAllow,
			Principal: policy.NewAWSPrincipal("arn:aws:iam::111122223333:root"),
			Action:    policy.NewStringOrSlice(true, "kms:*"),
			Resource:  policy.NewStringOrSlice(true, "*"),
		}
	}
	doc := func(s ...policy.Statement) *policy.Policy {
		return &policy.Policy{Version: policy.VersionLatest, Statements: policy.NewStatementOrSlice(s...)}
	}
	tests := []struct {
		name string
		doc  *policy.Policy
		want string
	}{
		{"nil policy", nil, "nil policy"},
		{"no version", &policy.Policy{Statements: policy.NewStatementOrSlice(valid())}, `Version ""`},
		{"no statements", doc(), "no statements"},
		{"nil statements", &policy.Policy{Version: policy.VersionLatest}, "no statements"},
		{"bad effect", doc(func() policy.Statement { s := valid(); s.Effect = "allow"; return s }()), `Effect "allow"`},
		{"no action", doc(func() policy.Statement { s := valid(); s.Action = nil; return s }()), "exactly one of Action and NotAction"},
		{"action and not-action", doc(func() policy.Statement {
			s := valid()
			s.NotAction = policy.NewStringOrSlice(true, "kms:Decrypt")
			return s
		}()), "exactly one of Action and NotAction"},
		{"resource and not-resource", doc(func() policy.Statement {
			s := valid()
			s.NotResource = policy.NewStringOrSlice(true, "*")
			return s
		}()), "Resource or NotResource"},
		{"empty action list", doc(func() policy.Statement { s := valid(); s.Action = policy.NewStringOrSlice(true); return s }()), "Action is an empty list"},
		{"empty action value", doc(func() policy.Statement { s := valid(); s.Action = policy.NewStringOrSlice(true, ""); return s }()), "Action"},
		{"empty principal", doc(func() policy.Statement { s := valid(); s.Principal = &policy.Principal{}; return s }()), "must name at least one principal"},
		{"empty AWS principal", doc(func() policy.Statement { s := valid(); s.Principal = policy.NewAWSPrincipal(); return s }()), "Principal.AWS is an empty list"},
		{"empty condition operator", doc(func() policy.Statement {
			s := valid()
			s.Condition = map[string]map[string]*policy.ConditionValue{"Bool": {}}
			return s
		}()), "has no keys"},
		{"empty condition value", doc(func() policy.Statement {
			s := valid()
			s.Condition = map[string]map[string]*policy.ConditionValue{"Bool": {"k": policy.NewConditionValueString(true)}}
			return s
		}()), "no value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := policies.Render(tt.doc)
			require.Error(t, err)
			assert.Empty(t, out)
			assert.True(t, errors.Is(err, policies.ErrInvalidDocument), "%v", err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestPoliciesKeyPolicyErrors(t *testing.T) {
	ok := policies.KeyPolicyArgs{Partition: "aws", AccountID: polAccount, Administrators: []string{polLabUser}, Users: []string{polLabUser}}
	tests := []struct {
		name   string
		mutate func(*policies.KeyPolicyArgs)
		want   []string
	}{
		{"short account id", func(a *policies.KeyPolicyArgs) { a.AccountID = "12345" }, []string{`AccountID "12345"`, "12 digits"}},
		{"long account id", func(a *policies.KeyPolicyArgs) { a.AccountID = "1111222233334" }, []string{`AccountID "1111222233334"`}},
		{"letters in account id", func(a *policies.KeyPolicyArgs) { a.AccountID = "11112222333a" }, []string{`AccountID "11112222333a"`}},
		{"empty account id", func(a *policies.KeyPolicyArgs) { a.AccountID = "" }, []string{`AccountID ""`}},
		{"empty partition", func(a *policies.KeyPolicyArgs) { a.Partition = "" }, []string{`Partition ""`}},
		{"partition with a colon", func(a *policies.KeyPolicyArgs) { a.Partition = "aws:cn" }, []string{`Partition "aws:cn"`}},
		{"empty administrator", func(a *policies.KeyPolicyArgs) { a.Administrators = []string{polLabUser, ""} }, []string{`Administrators[1] ""`, "must not be empty"}},
		{"blank user", func(a *policies.KeyPolicyArgs) { a.Users = []string{"  "} }, []string{`Users[0] "  "`, "must not be empty"}},
		{"padded user", func(a *policies.KeyPolicyArgs) { a.Users = []string{polLabUser + " "} }, []string{`Users[0]`, "whitespace"}},
		{"wildcard user", func(a *policies.KeyPolicyArgs) { a.Users = []string{"*"} }, []string{`Users[0] "*"`, "wildcard"}},
		{"every problem at once", func(a *policies.KeyPolicyArgs) {
			a.Partition, a.AccountID, a.Administrators = "", "1", []string{""}
		}, []string{`Partition ""`, `AccountID "1"`, `Administrators[0] ""`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := ok
			tt.mutate(&args)
			doc, err := policies.KeyPolicy(args)
			require.Error(t, err)
			assert.Nil(t, doc)
			assert.True(t, errors.Is(err, policies.ErrInvalidArgument), "%v", err)
			assert.True(t, strings.HasPrefix(err.Error(), "policies: key policy: "), err.Error())
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestPoliciesTrailBucketPolicyErrors(t *testing.T) {
	ok := polTrailCases()[0].args
	tests := []struct {
		name   string
		mutate func(*policies.TrailBucketPolicyArgs)
		want   string
	}{
		{"empty partition", func(a *policies.TrailBucketPolicyArgs) { a.Partition = "" }, `Partition ""`},
		{"bad account id", func(a *policies.TrailBucketPolicyArgs) { a.AccountID = "abc" }, `AccountID "abc"`},
		{"empty region", func(a *policies.TrailBucketPolicyArgs) { a.Region = "" }, `Region ""`},
		{"region with a colon", func(a *policies.TrailBucketPolicyArgs) { a.Region = "us-east-1:x" }, `Region "us-east-1:x"`},
		{"empty bucket", func(a *policies.TrailBucketPolicyArgs) { a.BucketName = "" }, `BucketName ""`},
		{"bucket with a slash", func(a *policies.TrailBucketPolicyArgs) { a.BucketName = "logs/x" }, `BucketName "logs/x"`},
		{"uppercase bucket", func(a *policies.TrailBucketPolicyArgs) { a.BucketName = "Logs" }, `BucketName "Logs"`},
		{"empty trail", func(a *policies.TrailBucketPolicyArgs) { a.TrailName = "" }, `TrailName ""`},
		{"trail with a slash", func(a *policies.TrailBucketPolicyArgs) { a.TrailName = "my/trail" }, `TrailName "my/trail"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := ok
			tt.mutate(&args)
			doc, err := policies.TrailBucketPolicy(args)
			require.Error(t, err)
			assert.Nil(t, doc)
			assert.True(t, errors.Is(err, policies.ErrInvalidArgument), "%v", err)
			assert.True(t, strings.HasPrefix(err.Error(), "policies: trail bucket policy: "), err.Error())
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
