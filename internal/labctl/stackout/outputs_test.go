package stackout

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// contractOutputs is the example of the stack-outputs contract.
func contractOutputs() map[string]any {
	return map[string]any{
		"accountId": "111122223333", "region": "us-west-2", "partition": "aws",
		"keyId":              "1234abcd-12ab-34cd-56ef-1234567890ab",
		"keyArn":             "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"keyAlias":           "alias/myFirstKey",
		"keyAdministrators":  []string{"arn:aws:iam::111122223333:user/AWSLabsUser-abc"},
		"keyUsers":           []string{"arn:aws:iam::111122223333:user/AWSLabsUser-abc"},
		"keyRotationEnabled": true,
		"bucketName":         "mycloudtrailbucket20261126175000000000000001",
		"objectOwnership":    "BucketOwnerPreferred",
		"publicAccessBlock":  map[string]bool{"blockPublicAcls": false, "ignorePublicAcls": false, "blockPublicPolicy": true, "restrictPublicBuckets": true},
		"bucketEncryption":   "AES256",
		"objectKey":          "lab-image.png",
		"objectUrl":          "https://mycloudtrailbucket20261126175000000000000001.s3.us-west-2.amazonaws.com/lab-image.png",
		"publicObjectAcl":    true,
		"trailName":          "myTrail",
		"trailArn":           "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail",
		"dataEvents":         true,
		"insightTypes":       []string{"ApiCallRateInsight", "ApiErrorRateInsight"},
		"logPrefix":          "AWSLogs/111122223333/CloudTrail/us-west-2/",
		"consoleUrls":        map[string]string{"key": "https://console.aws.amazon.com/kms/home"},
	}
}

func encode(t *testing.T, m map[string]any) []byte {
	t.Helper()
	data, err := json.MarshalIndent(m, "", "  ")
	require.NoError(t, err)
	return data
}

func TestParseContractExample(t *testing.T) {
	m := contractOutputs()
	m["somethingSecret"] = "[secret]" // unknown fields are ignored
	out, err := Parse("outputs.json", encode(t, m))
	require.NoError(t, err)
	assert.Equal(t, "1234abcd-12ab-34cd-56ef-1234567890ab", out.KeyID)
	assert.True(t, out.KeyRotationEnabled)
	assert.Equal(t, PublicAccessBlock{BlockPublicPolicy: true, RestrictPublicBuckets: true}, out.PublicAccessBlock)
	assert.Equal(t, []string{"ApiCallRateInsight", "ApiErrorRateInsight"}, out.InsightTypes)
	assert.Equal(t, "arn:aws:s3:::mycloudtrailbucket20261126175000000000000001/lab-image.png", out.ObjectARN())
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
		{name: "array", raw: `[1,2]`, wantIn: []string{"not a JSON object"}},
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
		}, wantIn: []string{"is not the ARN of keyId"}},
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
