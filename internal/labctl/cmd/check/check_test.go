package check

import (
	"strings"
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

const student = "arn:aws:iam::111122223333:user/AWSLabsUser-abc"

func TestNewCmdCheck(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    CheckOptions
		wantErr string
	}{
		// The lab guide's names are the defaults: alias myFirstKey, trail
		// myTrail, bucket mycloudtrailbucketNUMBER.
		{name: "defaults", args: nil, want: CheckOptions{Alias: "myFirstKey", Trail: "myTrail", BucketPrefix: "mycloudtrailbucket"}},
		{name: "every flag", args: []string{"--region", "us-west-2", "--profile", "lab", "--student", student, "--alias", "k", "--trail", "trail1", "--bucket-prefix", "logs-", "--since", "2h", "--json"},
			want: CheckOptions{Conn: awsclient.Options{Region: "us-west-2", Profile: "lab"}, Student: student, Alias: "k", Trail: "trail1", BucketPrefix: "logs-", Since: "2h",
				JSON: true, SinceTime: now.Add(-2 * time.Hour)}},
		{name: "argument", args: []string{"extra"}, wantErr: `check takes no arguments, got "extra"`},
		// Every bad value in one run, each naming its flag, value and rule.
		{name: "bad values", args: []string{"--student", "arn:aws:sts::111122223333:assumed-role/R/S", "--alias", "alias/myFirstKey", "--trail", "", "--bucket-prefix", "MyBucket", "--since", "yesterday"},
			wantErr: `--student "arn:aws:sts::111122223333:assumed-role/R/S": use an IAM user or role ARN (arn:aws:iam::123456789012:user/NAME); ` +
				`--alias "alias/myFirstKey": give the alias name without alias/ (letters, digits, / _ -); ` +
				`--trail "": a trail name of 3 to 128 letters, digits, . _ -, starting and ending with a letter or digit; ` +
				`--bucket-prefix "MyBucket": the start of an S3 bucket name, at least 3 lowercase letters, digits, . or -; ` +
				`--since: `},
		// Issue 24: the rules clean applies to the same names (CloudTrail
		// CreateTrail, Name: 3-128 characters, starting and ending with a
		// letter or digit; a bucket prefix of at least 3 characters, since
		// a shorter one would match buckets that are not the lab's).
		{name: "clean's trail and prefix rules", args: []string{"--trail", "-myTrail", "--bucket-prefix", "my"},
			wantErr: `--trail "-myTrail": a trail name of 3 to 128 letters, digits, . _ -, starting and ending with a letter or digit; ` +
				`--bucket-prefix "my": the start of an S3 bucket name, at least 3 lowercase letters, digits, . or -`},
		// Issue 24: --since in the future is refused, as events refuses a
		// --since after its --until.
		{name: "since in the future", args: []string{"--since", "2030-01-01"},
			wantErr: `--since 2030-01-01T00:00:00Z is after now (2026-11-26T18:00:00Z): give a time in the past, or an age such as 2h`},
		// Issue 24: a flag that does not parse does not hide the others.
		{name: "a flag that does not parse, with the others", args: []string{"--json=maybe", "--region", "mars-1", "--endpoint-url", "127.0.0.1:5815", "--trail", "x"},
			wantErr: `--endpoint-url "127.0.0.1:5815": must be an http or https URL with a host, such as http://127.0.0.1:5000; ` +
				`--json "maybe": must be true or false; ` +
				`--region "mars-1": must be an AWS region name such as us-west-2, of a known partition (aws, aws-cn, aws-us-gov, ...); ` +
				`--trail "x": a trail name of 3 to 128 letters`},
		// Issue 24: a long value is cut, with its length.
		{name: "a 5000-character trail", args: []string{"--trail", strings.Repeat("t", 5000)},
			wantErr: `--trail "` + strings.Repeat("t", 60) + `..." (5000 characters): a trail name of 3 to 128`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := awsstub.New(t).Factory("", now, nil)
			got, err := cmdtest.Parse(f, NewCmdCheck, tt.args...)
			if tt.wantErr != "" {
				cmdtest.UsageError(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			got.IO, got.AWS, got.HTTPClient, got.Now = nil, nil, nil, nil
			assert.Equal(t, tt.want, *got)
		})
	}
}

// A student who has done nothing yet: no key with the guide's alias, no
// trail named myTrail, no mycloudtrailbucket* bucket.
func TestCheckRunTrailNotFound(t *testing.T) {
	reg := awsstub.New(t)
	reg.Register(awsstub.Query("sts", "GetCallerIdentity"), awsstub.Identity("111122223333", student))
	// Each in its service's not-found shape (KMS API reference,
	// DescribeKey: NotFoundException; CloudTrail API reference,
	// DescribeTrails: an empty trailList, shadow trails included; S3
	// ListBuckets with a prefix, no buckets).
	reg.Register(awsstub.JSON("kms", "DescribeKey"), awsstub.JSONError(400, "NotFoundException", "Alias arn:aws:kms:us-west-2:111122223333:alias/myFirstKey is not found."))
	reg.Register(awsstub.JSON("cloudtrail", "DescribeTrails"), awsstub.JSONResponse(map[string]any{"trailList": []any{}}))
	reg.Register(awsstub.S3("GET", "/?x-id=ListBuckets&prefix=mycloudtrailbucket"), awsstub.XMLResponse(200, `<ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets></Buckets></ListAllMyBucketsResult>`))
	f, io := reg.Factory("", now, nil)
	cmd := NewCmdCheck(f, nil)
	cmd.SetArgs([]string{"--region", "us-west-2"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()

	// docs/labctl.md: exit code 1 when a task fails, after the report.
	code, msg := cmdutil.ExitCode(err)
	assert.Equal(t, cmdutil.ExitFailed, code)
	assert.False(t, msg)
	out := io.Out.String()
	assert.Contains(t, out, "lab in account 111122223333, us-west-2, student "+student+"\n")
	// Lab guide, "Task 2: Configure CloudTrail to store logs in a new S3
	// bucket": Create trail, trail name myTrail.
	assert.Regexp(t, `(?m)^fail +task 2 +Configure CloudTrail to store logs in a new S3 bucket$`, out)
	assert.Regexp(t, `(?m)^ +fail +trail\.exists: no trail named myTrail in us-west-2, nor a multi-region trail of that name homed in another region\. Hint: create the trail myTrail in CloudTrail \(task 2\)$`, out)
	assert.Empty(t, io.ErrOut.String())
}
