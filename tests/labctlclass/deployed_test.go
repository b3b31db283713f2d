package labctlclass_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
)

// stackOutputs are the outputs `pulumi stack output --json` prints for a
// lab whose resources are l's, as the README's Outputs section lists them,
// with the program's defaults (rotation on, public-read image, both
// Insights types).
func stackOutputs(l *handlab.Lab) map[string]any {
	return map[string]any{
		"accountId": l.Account, "region": l.Region, "partition": "aws",
		"keyId": l.KeyID, "keyArn": l.KeyARN, "keyAlias": "alias/myFirstKey",
		"keyAdministrators": []string{l.Student}, "keyUsers": []string{l.Student}, "keyRotationEnabled": true,
		"bucketName": l.Bucket, "bucketEncryption": "AES256", "objectOwnership": "BucketOwnerPreferred",
		"publicAccessBlock": map[string]bool{"blockPublicAcls": false, "ignorePublicAcls": false, "blockPublicPolicy": false, "restrictPublicBuckets": false},
		"objectKey":         l.ObjectKey, "objectUrl": fmt.Sprintf("https://%s.s3.%s.amazonaws.com/%s", l.Bucket, l.Region, l.ObjectKey),
		"publicObjectAcl": true, "trailName": "myTrail", "trailArn": l.TrailARN, "dataEvents": true,
		"insightTypes": []string{"ApiCallRateInsight", "ApiErrorRateInsight"},
		"logPrefix":    fmt.Sprintf("AWSLogs/%s/CloudTrail/%s/", l.Account, l.Region),
	}
}

// TestClassStatusDeployed runs verify in every account of a class, with
// the outputs from --outputs-dir. The lab in the first account matches its
// outputs except for key rotation, which the console leaves off and the
// stack turns on; the second account's outputs file is missing.
func TestClassStatusDeployed(t *testing.T) {
	moto := shared.Need(t)
	f := newFront(t, moto.URL)
	scs := []scenario{
		{stack: "dep-a", account: "410000000001", region: "us-west-2"},
		{stack: "dep-b", account: "420000000002", region: "us-west-2"},
	}
	dir := t.TempDir()
	outputsDir := filepath.Join(dir, "outputs")
	require.NoError(t, os.MkdirAll(outputsDir, 0o755))
	for i, sc := range scs {
		l := handlab.Build(t, accountClients(t, moto.URL, sc.account, sc.region), handlab.Options{})
		if i == 0 {
			data, err := json.Marshal(stackOutputs(l))
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(outputsDir, sc.stack+".json"), data, 0o644))
		}
	}
	classFile := writeClass(t, dir, "dep", scs)

	stdout, stderr, code := runLabctl(t, dir, "class", "status", classFile, "--outputs-dir", outputsDir,
		"--endpoint-url", f.URL, "--format", "markdown")
	assert.Equal(t, 2, code, "the account without outputs is an error row: %s", stderr)
	lines := strings.Split(stdout, "\n")
	require.GreaterOrEqual(t, len(lines), 6, stdout)
	assert.Equal(t, "| stack | account | KMS key | trail bucket | trail | image |", lines[2])
	assert.Equal(t, "| dep-a | 410000000001 | ❌ fail | ✅ pass | ✅ pass | ✅ pass |", lines[4])
	assert.Equal(t, "| dep-b | 420000000002 | ⚠️ error | ⚠️ error | ⚠️ error | ⚠️ error |", lines[5])
	assert.Equal(t, "| **pass** | | 0/2 | 1/2 | 1/2 | 1/2 |", lines[6])
	assert.Contains(t, stdout, "- **dep-a** key: key.rotation: disabled (expected: enabled)")
	assert.Contains(t, stdout, "- **dep-b**: not checked: stack outputs from "+filepath.Join(outputsDir, "dep-b.json")+": cannot read")
}
