package verify

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/awsstub"
	"github.com/kms-lab/kms-lab/internal/testenv/cmdtest"
)

var now = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

func TestNewCmdVerify(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    VerifyOptions
		wantErr string
	}{
		{name: "stdin", args: []string{"-", "--json"}, want: VerifyOptions{Stdin: true, JSON: true}},
		{name: "file and AWS flags", args: []string{"--outputs", "o.json", "--profile", "lab", "--region", "us-west-2", "--endpoint-url", "http://127.0.0.1:5000"},
			want: VerifyOptions{Outputs: "o.json", Conn: awsclient.Options{Profile: "lab", Region: "us-west-2", EndpointURL: "http://127.0.0.1:5000"}}},
		{name: "flags after the dash", args: []string{"-", "--json", "--profile", "lab"}, want: VerifyOptions{Stdin: true, JSON: true, Conn: awsclient.Options{Profile: "lab"}}},
		{name: "stray argument", args: []string{"outputs.json"}, wantErr: "unexpected argument(s) outputs.json: the only argument is - (outputs on stdin)"},
		// Single-dash long flags are gone (docs/labctl.md, Changes):
		// pflag reads -json as -j -s -o -n.
		{name: "single-dash long flag", args: []string{"-json"}, wantErr: "unknown shorthand flag: 'j' in -json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := awsstub.New(t).Factory("", now, nil)
			got, err := cmdtest.Parse(f, NewCmdVerify, tt.args...)
			if tt.wantErr != "" {
				cmdtest.UsageError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want.Stdin, got.Stdin)
			assert.Equal(t, tt.want.Outputs, got.Outputs)
			assert.Equal(t, tt.want.JSON, got.JSON)
			assert.Equal(t, tt.want.Conn, got.Conn)
		})
	}
}

const outputsJSON = `{
  "accountId": "111122223333", "region": "us-west-2", "partition": "aws",
  "keyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
  "keyArn": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "keyAlias": "alias/myFirstKey",
  "keyAdministrators": ["arn:aws:iam::111122223333:user/AWSLabsUser-abc"],
  "keyUsers": ["arn:aws:iam::111122223333:user/AWSLabsUser-abc"],
  "keyRotationEnabled": false,
  "bucketName": "mycloudtrailbucket-abc", "objectOwnership": "BucketOwnerPreferred",
  "publicAccessBlock": {"blockPublicAcls": false, "ignorePublicAcls": false, "blockPublicPolicy": true, "restrictPublicBuckets": true},
  "bucketEncryption": "AES256",
  "objectKey": "image.jpg", "objectUrl": "https://mycloudtrailbucket-abc.s3.us-west-2.amazonaws.com/image.jpg",
  "publicObjectAcl": true,
  "trailName": "myTrail", "trailArn": "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail",
  "dataEvents": true, "insightTypes": [],
  "logPrefix": "AWSLogs/111122223333/CloudTrail/us-west-2/"
}`

// pendingKey is DescribeKey's KeyMetadata for a key scheduled for deletion
// (KMS API reference, DescribeKey: KeyState PendingDeletion, DeletionDate).
var pendingKey = map[string]any{"KeyMetadata": map[string]any{
	"KeyId":        "1234abcd-12ab-34cd-56ef-1234567890ab",
	"Arn":          "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	"AWSAccountId": "111122223333", "KeyState": "PendingDeletion", "Enabled": false,
	"DeletionDate": 1764957600, // 2025-12-05T18:00:00Z
	"KeySpec":      "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT", "KeyManager": "CUSTOMER", "Origin": "AWS_KMS",
}}

func TestVerifyRun(t *testing.T) {
	reg := awsstub.New(t)
	reg.Register(awsstub.Query("sts", "GetCallerIdentity"), awsstub.Identity("111122223333", "arn:aws:iam::111122223333:user/instructor"))
	reg.Register(awsstub.JSON("kms", "DescribeKey"), awsstub.JSONResponse(pendingKey))
	reg.Register(awsstub.JSON("kms", "DescribeKey"), awsstub.JSONResponse(pendingKey))
	reg.Register(awsstub.JSON("kms", "GetKeyRotationStatus"), awsstub.JSONResponse(map[string]any{"KeyRotationEnabled": false}))
	reg.Register(awsstub.JSON("kms", "GetKeyPolicy"), awsstub.JSONResponse(map[string]any{"PolicyName": "default", "Policy": rootOnlyPolicy}))
	reg.Register(awsstub.S3("HEAD", "/mycloudtrailbucket-abc"), awsstub.Header(404, nil))
	// DescribeTrails lists no trail, shadow trails included (CloudTrail API Reference, DescribeTrails).
	reg.Register(awsstub.JSON("cloudtrail", "DescribeTrails"), awsstub.JSONResponse(map[string]any{"trailList": []any{}}))
	reg.Register(awsstub.S3("HEAD", "/mycloudtrailbucket-abc/image.jpg"), awsstub.Header(404, nil))
	f, io := reg.Factory(outputsJSON, now, nil)
	cmd := NewCmdVerify(f, nil)
	cmd.SetArgs([]string{"-"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()

	// docs/labctl.md: exit code 1 when a check fails, after the report.
	assert.Same(t, cmdutil.ErrFailed, err)
	out := io.Out.String()
	assert.Contains(t, out, "lab stack in account 111122223333, us-west-2 (as arn:aws:iam::111122223333:user/instructor)\n")
	// The lab guide's key is Enabled; a key scheduled for deletion is a
	// failure that says when it goes.
	assert.Regexp(t, `(?m)^fail +key\.state +PendingDeletion \(deletion on 2025-12-05\) \(expected: Enabled\)$`, out)
	assert.Regexp(t, `(?m)^fail +bucket\.exists +S3 bucket mycloudtrailbucket-abc not found`, out)
	assert.Regexp(t, `(?m)^fail +trail\.exists +CloudTrail trail myTrail not found`, out)
	assert.Empty(t, io.ErrOut.String())
}

// The console's default key policy with only the account's root, so that
// the key's administrators and users are missing (lab guide, task 1).
const rootOnlyPolicy = `{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions",` +
	`"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}`
