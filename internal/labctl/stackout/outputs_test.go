package stackout

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/plan"
)

// program holds the program's own stack outputs: the dev stack rendered on
// the mock engine for a student in AWS's documentation account. Set once by
// TestMain, read-only after; tests take copies.
var program []byte

func TestMain(m *testing.M) {
	p, err := plan.RenderFile("", filepath.Join("..", "..", "..", "Pulumi.dev.yaml"),
		plan.Options{AccountID: "111122223333", Region: "us-west-2", Partition: "aws", CallerARN: "arn:aws:iam::111122223333:user/AWSLabsUser-abc"})
	if err == nil {
		program, err = json.Marshal(p.Outputs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "stackout tests: rendering the dev stack:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// contractOutputs is a copy of what `pulumi stack output --json` prints for
// the program's dev stack.
func contractOutputs() map[string]any {
	var m map[string]any
	if err := json.Unmarshal(program, &m); err != nil {
		panic(err)
	}
	return m
}

func encode(t *testing.T, m map[string]any) []byte {
	t.Helper()
	data, err := json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	return data
}

// The program's outputs are the contract: labctl must read every one it
// needs from them, with the values the lab guide fixes.
func TestParseTheProgramsOutputs(t *testing.T) {
	m := contractOutputs()
	m["somethingSecret"] = "[secret]" // unknown fields are ignored
	out, err := Parse("outputs.json", encode(t, m))
	require.NoError(t, err)
	tests := []struct {
		field string
		want  any
		got   any
	}{
		// Lab tasks 1-4: the alias, rotation, the public object ACL with
		// ACLs enabled ("Bucket owner preferred"), the image name.
		{"keyAlias", "alias/myFirstKey", out.KeyAlias},
		{"keyRotationEnabled", true, out.KeyRotationEnabled},
		{"objectOwnership", "BucketOwnerPreferred", out.ObjectOwnership},
		{"publicObjectAcl", true, out.PublicObjectACL},
		{"objectKey", "lab-image.png", out.ObjectKey},
		{"trailName", "myTrail", out.TrailName},
		// The README's default publicAccess: object-acl turns off only the
		// two ACL switches.
		{"publicAccessBlock", PublicAccessBlock{BlockPublicPolicy: true, RestrictPublicBuckets: true}, out.PublicAccessBlock},
		// The deployer is the key administrator and user by default.
		{"keyAdministrators", []string{"arn:aws:iam::111122223333:user/AWSLabsUser-abc"}, out.KeyAdministrators},
		{"keyUsers", []string{"arn:aws:iam::111122223333:user/AWSLabsUser-abc"}, out.KeyUsers},
		// CloudTrail's log prefix: AWSLogs/<account>/CloudTrail/<region>/
		// (CloudTrail User Guide, "Finding your CloudTrail log files").
		{"logPrefix", "AWSLogs/111122223333/CloudTrail/us-west-2/", out.LogPrefix},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got, tt.field)
	}
	// ARN formats: S3 object arn:aws:s3:::<bucket>/<key>, IAM account root
	// arn:aws:iam::<account>:root, KMS alias arn:aws:kms:<region>:<account>:alias/<name>
	// (AWS General Reference, "Amazon Resource Names (ARNs)"; KMS Developer
	// Guide, "Alias ARN").
	assert.Equal(t, "arn:aws:s3:::"+out.BucketName+"/lab-image.png", out.ObjectARN())
	assert.Equal(t, "arn:aws:iam::111122223333:root", out.RootARN())
	assert.Equal(t, "arn:aws:kms:us-west-2:111122223333:alias/myFirstKey", out.AliasARN())
}

func TestParseEmptyRoleLists(t *testing.T) {
	m := contractOutputs()
	m["keyAdministrators"], m["keyUsers"] = []string{}, []string{}
	out, err := Parse("outputs.json", encode(t, m))
	require.NoError(t, err)
	assert.Empty(t, out.KeyAdministrators)
	assert.Empty(t, out.KeyUsers)
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(m map[string]any)
		raw    string
		wantIn []string
	}{
		{name: "not JSON", raw: "{\n\"accountId\": 1,\n oops\n}", wantIn: []string{"invalid JSON at line 3"}},
		// Issue 24: what the file is, in JSON's words, not Go's
		// ("cannot unmarshal array into Go value of type map[string]json.RawMessage").
		{name: "array", raw: `[1,2]`, wantIn: []string{`not a JSON object: the outputs are one object of names and values ({"accountId": ..., "region": ...}), and this is an array`}},
		{name: "a string", raw: `"outputs"`, wantIn: []string{"and this is a string"}},
		{name: "a field's inner kind", edit: func(m map[string]any) { m["publicAccessBlock"] = map[string]any{"blockPublicAcls": "yes"} },
			wantIn: []string{`"publicAccessBlock.blockPublicAcls" is a JSON string, want bool`}},
		{name: "a long ARN is cut", edit: func(m map[string]any) { m["trailArn"] = strings.Repeat("x", 5000) },
			wantIn: []string{`trailArn "` + strings.Repeat("x", 60) + `..." (5000 characters) is not an ARN`}},
		{name: "empty", raw: " \n", wantIn: []string{"empty input"}},
		{name: "missing fields", edit: func(m map[string]any) { delete(m, "trailArn"); delete(m, "keyRotationEnabled") },
			wantIn: []string{`missing "keyRotationEnabled"; missing "trailArn"`}},
		{name: "secret in place of a bool", edit: func(m map[string]any) { m["publicObjectAcl"] = "[secret]" },
			wantIn: []string{`"publicObjectAcl" is string "[secret]", want bool`}},
		{name: "secret in place of a string", edit: func(m map[string]any) { m["keyId"] = "[secret]" },
			wantIn: []string{`"keyId" is a secret: run ` + "`pulumi stack output --json --show-secrets`"}},
		{name: "empty string", edit: func(m map[string]any) { m["bucketName"] = "" }, wantIn: []string{`"bucketName" is empty`}},
		{name: "ARN of another key", edit: func(m map[string]any) {
			m["keyArn"] = "arn:aws:kms:us-west-2:111122223333:key/ffffffff-12ab-34cd-56ef-1234567890ab"
		}, wantIn: []string{`keyArn "arn:aws:kms:us-west-2:111122223333:key/ffffffff-12ab-34cd-56ef-1234567890ab" is not the ARN of keyId`}},
		{name: "ARNs from another account and trail, both named", edit: func(m map[string]any) {
			m["keyArn"] = "arn:aws:kms:us-west-2:444455556666:key/" + m["keyId"].(string)
			m["trailArn"] = "arn:aws:cloudtrail:us-west-2:111122223333:trail/otherTrail"
		}, wantIn: []string{`keyArn "arn:aws:kms:us-west-2:444455556666:key/`, `is not in the stack's partition aws, region us-west-2 and account 111122223333`,
			`trailArn "arn:aws:cloudtrail:us-west-2:111122223333:trail/otherTrail" is not the ARN of trailName "myTrail"`}},
		{name: "not an ARN", edit: func(m map[string]any) { m["trailArn"] = "myTrail" },
			wantIn: []string{`trailArn "myTrail" is not an ARN`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.raw)
			if tt.edit != nil {
				m := contractOutputs()
				tt.edit(m)
				data = encode(t, m)
			}
			_, err := Parse("stack.json", data)
			require.Error(t, err)
			msg := err.Error()
			assert.True(t, strings.HasPrefix(msg, "stack outputs from stack.json: "), msg)
			assert.Contains(t, msg, "pulumi stack output --json")
			for _, w := range tt.wantIn {
				assert.Contains(t, msg, w)
			}
			assert.NotContains(t, msg, "\n")
			assert.NotContains(t, msg, "Go value", "no Go types in a message")
		})
	}
}

func TestLoadFromFileAndStdin(t *testing.T) {
	data := encode(t, contractOutputs())
	path := filepath.Join(t.TempDir(), "out.json")
	require.NoError(t, os.WriteFile(path, data, 0o600))

	fromFile, err := Load(path, nil)
	require.NoError(t, err)
	fromStdin, err := Load("-", strings.NewReader(string(data)))
	require.NoError(t, err)
	assert.Equal(t, fromFile, fromStdin)

	_, err = Load(filepath.Join(t.TempDir(), "missing.json"), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing.json: cannot read: no such file or directory")
}
