package events

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/awsstub"
	"github.com/kms-lab/kms-lab/internal/testenv/cmdtest"
)

// now is shortly after the documented GenerateDataKey record's eventTime.
var now = time.Date(2025, 5, 20, 21, 0, 0, 0, time.UTC)

func TestNewCmdEvents(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		check   func(t *testing.T, o *EventsOptions)
		wantErr string
	}{
		{name: "defaults", args: []string{"-"}, check: func(t *testing.T, o *EventsOptions) {
			assert.True(t, o.Stdin)
			assert.Equal(t, "24h", o.Since)
			assert.Equal(t, "now", o.Until)
			assert.Equal(t, "table", o.Format)
			assert.Equal(t, 15*time.Minute, o.WaitTimeout)
			assert.Equal(t, 5*time.Second, o.PollInterval)
			assert.Equal(t, 16, o.Concurrency)
		}},
		{name: "flags", args: []string{"--outputs", "o.json", "--since", "2h", "--key", "alias/myFirstKey", "--event", "Decrypt,GenerateDataKey", "--format", "json", "--wait", "--all-regions"},
			check: func(t *testing.T, o *EventsOptions) {
				assert.False(t, o.Stdin)
				assert.Equal(t, "o.json", o.Outputs)
				assert.Equal(t, "alias/myFirstKey", o.Key)
				assert.Equal(t, "Decrypt,GenerateDataKey", o.EventNames)
				assert.Equal(t, "json", o.Format)
				assert.True(t, o.Wait)
				assert.True(t, o.AllRegions)
			}},
		// Every bad value in one run.
		{name: "bad values", args: []string{"-", "--format", "csv", "--concurrency", "0", "--all-regions", "--region-folder", "us-east-1", "--wait-timeout", "0s"},
			wantErr: `--format "csv": use table or json; --concurrency 0: use 1 to 256; --wait-timeout 0s: must be positive; give either --region-folder or --all-regions, not both`},
		{name: "until before since", args: []string{"-", "--since", "2025-05-20", "--until", "2025-05-19"},
			wantErr: "--until 2025-05-19T00:00:00Z is before --since 2025-05-20T00:00:00Z"},
		{name: "flag without value", args: []string{"-", "--since"}, wantErr: "flag needs an argument: --since"},
		{name: "two arguments", args: []string{"-", "-"}, wantErr: "unexpected argument(s) - -: the only argument is - (outputs on stdin)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := awsstub.New(t).Factory("", now, nil)
			got, err := cmdtest.Parse(f, NewCmdEvents, tt.args...)
			if tt.wantErr != "" {
				cmdtest.UsageError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			tt.check(t, got)
		})
	}
}

// The placeholders of AWS's documented examples (see the events package's
// testdata/documented/README.md): the image lab-image.png in
// amzn-s3-demo-bucket, encrypted with key 1234abcd-....
const outputsJSON = `{
  "accountId": "111122223333", "region": "us-west-2", "partition": "aws",
  "keyId": "1234abcd-12ab-34cd-56ef-1234567890ab",
  "keyArn": "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "keyAlias": "alias/myFirstKey",
  "keyAdministrators": ["arn:aws:iam::111122223333:user/Alice"], "keyUsers": ["arn:aws:iam::111122223333:user/Alice"],
  "keyRotationEnabled": false,
  "bucketName": "amzn-s3-demo-bucket", "objectOwnership": "BucketOwnerPreferred",
  "publicAccessBlock": {"blockPublicAcls": false, "ignorePublicAcls": false, "blockPublicPolicy": true, "restrictPublicBuckets": true},
  "bucketEncryption": "AES256", "objectKey": "lab-image.png",
  "objectUrl": "https://amzn-s3-demo-bucket.s3.us-west-2.amazonaws.com/lab-image.png", "publicObjectAcl": true,
  "trailName": "myTrail", "trailArn": "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail",
  "dataEvents": true, "insightTypes": [], "logPrefix": "AWSLogs/111122223333/CloudTrail/us-west-2/"
}`

// CloudTrail's log file name (CloudTrail User Guide, "Finding your
// CloudTrail log files"): AccountID_CloudTrail_RegionName_YYYYMMDDTHHmmZ_UniqueString.json.gz.
const logKey = "AWSLogs/111122223333/CloudTrail/us-west-2/2025/05/20/111122223333_CloudTrail_us-west-2_20250520T2050Z_EXAMPLEUNIQUE001.json.gz"

func listing(keys ...string) awsstub.Responder {
	body := `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>amzn-s3-demo-bucket</Name>` +
		fmt.Sprintf(`<KeyCount>%d</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>`, len(keys))
	for _, k := range keys {
		body += `<Contents><Key>` + k + `</Key><LastModified>2025-05-20T20:50:00.000Z</LastModified><Size>1000</Size></Contents>`
	}
	return awsstub.XMLResponse(200, body+`</ListBucketResult>`)
}

func gzipFile(t *testing.T, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err = zw.Write(raw)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestEventsRun(t *testing.T) {
	documented := gzipFile(t, "../../events/testdata/documented/kms-generatedatakey-by-s3.json")
	tests := []struct {
		name     string
		file     []byte
		wantCode int
		wantOut  []string
		wantErr  string
	}{
		// The documented record: S3 calling GenerateDataKey with the lab
		// key on Alice's behalf for the image (KMS Developer Guide,
		// GenerateDataKey log entry; invokedBy per the userIdentity docs).
		{name: "documented GenerateDataKey", file: documented, wantCode: cmdutil.ExitOK,
			wantOut: []string{"2025-05-20T20:46:16Z", "kms.amazonaws.com", "GenerateDataKey",
				"arn:aws:iam::111122223333:user/Alice via s3.amazonaws.com", "1234abcd-12ab-34cd-56ef-1234567890ab", "lab-image.png"},
			wantErr: "1 matching event in 1 log file (1 record) under s3://amzn-s3-demo-bucket/AWSLogs/111122223333/CloudTrail/{us-west-2}/, " +
				"2025-05-20T00:00:00Z to 2025-05-20T21:00:00Z\n"},
		// docs/labctl.md: an unreadable log file is reported and skipped,
		// the rest still print, and the exit code is 3.
		{name: "truncated file", file: documented[:len(documented)/2], wantCode: cmdutil.ExitSkipped,
			wantOut: []string{"TIME"},
			wantErr: "; 1 unreadable file skipped\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := awsstub.New(t)
			reg.Register(awsstub.Query("sts", "GetCallerIdentity"), awsstub.Identity("111122223333", "arn:aws:iam::111122223333:user/Alice"))
			// --since 2025-05-20 lists that day's folder (and, for records
			// stamped late, the days around it).
			const prefix = "/amzn-s3-demo-bucket?list-type=2&prefix=AWSLogs/111122223333/CloudTrail/us-west-2/"
			reg.Register(awsstub.S3("GET", prefix+"2025/05/20/"), listing(logKey))
			reg.RegisterAlways(awsstub.S3("GET", "/amzn-s3-demo-bucket?list-type=2"), listing())
			reg.Register(awsstub.S3("GET", "/amzn-s3-demo-bucket/"+logKey), awsstub.BytesResponse(200, tt.file, nil))
			f, io := reg.Factory(outputsJSON, now, nil)
			cmd := NewCmdEvents(f, nil)
			cmd.SetArgs([]string{"-", "--since", "2025-05-20"})
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()

			code, _ := cmdutil.ExitCode(err)
			assert.Equal(t, tt.wantCode, code)
			for _, w := range tt.wantOut {
				assert.Contains(t, io.Out.String(), w)
			}
			assert.True(t, strings.HasSuffix(io.ErrOut.String(), tt.wantErr), "stderr: %s", io.ErrOut.String())
		})
	}
}
