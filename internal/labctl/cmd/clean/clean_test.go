package clean

import (
	"bytes"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	labclean "github.com/kms-lab/kms-lab/internal/labctl/clean"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/awsstub"
	"github.com/kms-lab/kms-lab/internal/testenv/cmdtest"
)

var now = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

const (
	account  = "111122223333"
	caller   = "arn:aws:iam::111122223333:user/instructor"
	keyID    = "1234abcd-12ab-34cd-56ef-1234567890ab"
	trailARN = "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail"
	// The guide's bucket, "mycloudtrailbucketNUMBER" (task 2), with the
	// number its example URL shows (task 3).
	bucket = "mycloudtrailbucket10619"
)

func TestNewCmdClean(t *testing.T) {
	// The lab guide's names: alias myFirstKey (task 1), trail myTrail and
	// bucket mycloudtrailbucketNUMBER (task 2). Seven days is the shortest
	// wait KMS allows (AWS KMS API Reference, ScheduleKeyDeletion:
	// PendingWindowInDays, minimum 7, maximum 30).
	guide := labclean.Options{Alias: "myFirstKey", Trail: "myTrail", BucketPrefix: "mycloudtrailbucket", KeyDeletionDays: 7}
	withDays := func(d int) labclean.Options { o := guide; o.KeyDeletionDays = d; return o }
	tests := []struct {
		name    string
		args    []string
		want    CleanOptions
		wantErr string
	}{
		{name: "defaults", args: nil, want: CleanOptions{Clean: guide}},
		{name: "every flag", args: []string{"--profile", "lab07", "--region", "us-west-2", "--endpoint-url", "http://127.0.0.1:5000",
			"--alias", "k", "--trail", "t01", "--bucket-prefix", "logs-", "--key-deletion-days", "30", "--yes", "--json"},
			want: CleanOptions{Conn: awsclient.Options{Profile: "lab07", Region: "us-west-2", EndpointURL: "http://127.0.0.1:5000"},
				Clean: labclean.Options{Alias: "k", Trail: "t01", BucketPrefix: "logs-", KeyDeletionDays: 30, Yes: true}, JSON: true}},
		{name: "7 days, the minimum", args: []string{"--key-deletion-days", "7"}, want: CleanOptions{Clean: withDays(7)}},
		{name: "30 days, the maximum", args: []string{"--key-deletion-days", "30"}, want: CleanOptions{Clean: withDays(30)}},
		{name: "6 days", args: []string{"--key-deletion-days", "6"}, wantErr: "--key-deletion-days 6: KMS waits 7 to 30 days before deleting a key"},
		{name: "31 days", args: []string{"--key-deletion-days", "31"}, wantErr: "--key-deletion-days 31: KMS waits 7 to 30 days before deleting a key"},
		// Every bad value in one run, each naming its flag, value and rule.
		{name: "bad values", args: []string{"--alias", "alias/myFirstKey", "--trail", "my trail", "--bucket-prefix", "My", "--key-deletion-days", "0"},
			wantErr: `--alias "alias/myFirstKey": give the alias name without alias/ (letters, digits, / _ -; not aws/, which AWS manages); ` +
				`--trail "my trail": a trail name of 3 to 128 letters, digits, . _ -, starting and ending with a letter or digit; ` +
				`--bucket-prefix "My": the start of an S3 bucket name, at least 3 lowercase letters, digits, . or -; ` +
				`--key-deletion-days 0: KMS waits 7 to 30 days before deleting a key`},
		{name: "argument", args: []string{"myTrail"}, wantErr: `clean takes no arguments, got "myTrail"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _ := awsstub.New(t).Factory("", now, nil)
			got, err := cmdtest.Parse(f, NewCmdClean, tt.args...)
			if tt.wantErr != "" {
				cmdtest.UsageError(t, err, tt.wantErr)
				assert.Nil(t, got, "runF ran despite the error")
				return
			}
			require.NoError(t, err)
			got.IO, got.AWS, got.Now = nil, nil, nil
			assert.Equal(t, tt.want, *got)
		})
	}
}

// registerLab answers the reads of a lab done by hand as the guide builds
// it: the trail with management, S3 data and both Insights events (task 2,
// steps 6-9), one bucket holding two object versions, and the alias
// pointing to its key, which no other alias and no stack tag claims. Only
// reads are registered: a Delete* or ScheduleKeyDeletion call is an
// unexpected request, which fails the test. elsewhere, when set, is a
// single-region trail of another region (as GetTrail answers for it) that
// ListTrails lists and this region does not see.
func registerLab(reg *awsstub.Registry, elsewhere ...map[string]any) {
	reg.Register(awsstub.Query("sts", "GetCallerIdentity"), awsstub.Identity(account, caller))

	reg.Register(awsstub.JSON("cloudtrail", "DescribeTrails"), awsstub.JSONResponse(map[string]any{"trailList": []any{map[string]any{
		"Name": "myTrail", "TrailARN": trailARN, "HomeRegion": "us-west-2", "S3BucketName": bucket,
		"IsMultiRegionTrail": true, "IsOrganizationTrail": false, "HasInsightSelectors": true}}}))
	// ListTrails lists the account's trails of every region.
	listed := []any{map[string]any{"Name": "myTrail", "TrailARN": trailARN, "HomeRegion": "us-west-2"}}
	for _, t := range elsewhere {
		listed = append(listed, map[string]any{"Name": t["Name"], "TrailARN": t["TrailARN"], "HomeRegion": t["HomeRegion"]})
		reg.Register(awsstub.JSON("cloudtrail", "GetTrail"), awsstub.JSONResponse(map[string]any{"Trail": t}))
	}
	reg.Register(awsstub.JSON("cloudtrail", "ListTrails"), awsstub.JSONResponse(map[string]any{"Trails": listed}))
	reg.Register(awsstub.JSON("cloudtrail", "ListTags"), awsstub.JSONResponse(map[string]any{
		"ResourceTagList": []any{map[string]any{"ResourceId": trailARN, "TagsList": []any{}}}}))
	// The console's basic data event selector for every S3 bucket.
	reg.Register(awsstub.JSON("cloudtrail", "GetEventSelectors"), awsstub.JSONResponse(map[string]any{
		"TrailARN": trailARN, "EventSelectors": []any{map[string]any{"ReadWriteType": "All", "IncludeManagementEvents": true,
			"DataResources": []any{map[string]any{"Type": "AWS::S3::Object", "Values": []string{"arn:aws:s3"}}}}}}))
	reg.Register(awsstub.JSON("cloudtrail", "GetInsightSelectors"), awsstub.JSONResponse(map[string]any{
		"TrailARN": trailARN, "InsightSelectors": []any{
			map[string]any{"InsightType": "ApiCallRateInsight"}, map[string]any{"InsightType": "ApiErrorRateInsight"}}}))

	reg.Register(awsstub.S3("GET", "/?x-id=ListBuckets&prefix=mycloudtrailbucket"), awsstub.XMLResponse(200,
		`<ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets><Bucket><Name>`+bucket+`</Name>`+
			`<CreationDate>2026-11-26T10:00:00.000Z</CreationDate><BucketRegion>us-west-2</BucketRegion></Bucket></Buckets></ListAllMyBucketsResult>`))
	// A bucket without tags answers NoSuchTagSet (Amazon S3 API Reference,
	// GetBucketTagging).
	reg.Register(awsstub.S3("GET", "/"+bucket+"?tagging"), awsstub.S3Error(404, "NoSuchTagSet", "The TagSet does not exist"))
	// The bucket policy the CloudTrail console writes (CloudTrail User
	// Guide, "Amazon S3 bucket policy for CloudTrail"): only myTrail may
	// write.
	reg.Register(awsstub.S3("GET", "/"+bucket+"?policy="), awsstub.JSONResponse(map[string]any{"Version": "2012-10-17", "Statement": []any{
		map[string]any{"Sid": "AWSCloudTrailWrite20150319", "Effect": "Allow", "Principal": map[string]any{"Service": "cloudtrail.amazonaws.com"},
			"Action": "s3:PutObject", "Resource": "arn:aws:s3:::" + bucket + "/AWSLogs/" + account + "/*",
			"Condition": map[string]any{"StringEquals": map[string]any{"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailARN}}}}}))
	reg.Register(awsstub.S3("GET", "/"+bucket+"?versions"), awsstub.XMLResponse(200,
		`<ListVersionsResult><Name>`+bucket+`</Name><IsTruncated>false</IsTruncated>`+
			`<Version><Key>Eiffel.jpg</Key><VersionId>v2</VersionId><IsLatest>true</IsLatest><LastModified>2026-11-26T11:00:00.000Z</LastModified><Size>1536</Size></Version>`+
			`<Version><Key>Eiffel.jpg</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest><LastModified>2026-11-26T10:30:00.000Z</LastModified><Size>512</Size></Version>`+
			`</ListVersionsResult>`))

	reg.Register(awsstub.JSON("kms", "DescribeKey"), awsstub.JSONResponse(map[string]any{"KeyMetadata": map[string]any{
		"KeyId": keyID, "Arn": "arn:aws:kms:us-west-2:111122223333:key/" + keyID,
		"KeyState": "Enabled", "Enabled": true, "KeyManager": "CUSTOMER"}}))
	reg.Register(awsstub.JSON("kms", "ListResourceTags"), awsstub.JSONResponse(map[string]any{"Tags": []any{}, "Truncated": false}))
	reg.Register(awsstub.JSON("kms", "ListAliases"), awsstub.JSONResponse(map[string]any{"Truncated": false, "Aliases": []any{
		map[string]any{"AliasName": "alias/myFirstKey", "AliasArn": "arn:aws:kms:us-west-2:111122223333:alias/myFirstKey", "TargetKeyId": keyID}}}))
}

func runClean(t *testing.T, reg *awsstub.Registry, args ...string) (awsstub.Streams, error) {
	t.Helper()
	f, io := reg.Factory("", now, nil)
	cmd := NewCmdClean(f, nil)
	cmd.SetArgs(args)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	return io, cmd.Execute()
}

// A dry run says what it would remove, one line per resource, and removes
// nothing: no delete call reaches the stub.
func TestCleanRunDryRun(t *testing.T) {
	reg := awsstub.New(t)
	registerLab(reg)
	io, err := runClean(t, reg, "--region", "us-west-2")
	// docs/teardown.md: 0 for a dry run with nothing that would be left.
	require.NoError(t, err)

	lines := strings.Split(strings.TrimSuffix(io.Out.String(), "\n"), "\n")
	require.Len(t, lines, 6, io.Out.String())
	assert.Regexp(t, `^TYPE\s+NAME\s+ACTION\s+STATUS\s+DETAIL$`, lines[0])
	// Removal order (docs/teardown.md): trail, buckets, alias, key.
	want := []string{
		`^trail\s+myTrail\s+delete\s+planned\s+home region us-west-2, writes to s3://` + bucket + `; logs management events, `,
		`^bucket\s+` + bucket + `\s+empty and delete\s+planned\s+2 object versions \(2\.0 KiB\), 0 delete markers$`,
		`^alias\s+alias/myFirstKey\s+delete\s+planned\s+points to key ` + keyID + `$`,
		// Seven days after the run (the default wait, ScheduleKeyDeletion's minimum).
		`^key\s+` + keyID + `\s+schedule deletion\s+planned\s+deletion would take effect on 2026-12-03 18:00 UTC, 7 days after`,
	}
	for i, re := range want {
		assert.Regexp(t, regexp.MustCompile(re), lines[i+1])
	}
	assert.Equal(t, "dry run in account 111122223333, us-west-2: nothing was removed; run again with --yes to do the planned actions", lines[5])
}

// A single-region trail homed in another region, which this region does
// not see, logs to the bucket with the lab's prefix: the bucket is not only
// the lab's, so it is kept and said why (issue 20: "no trail other than
// the lab's logs to it, in any region"). ListTrails lists the account's
// trails of every region (CloudTrail API Reference, ListTrails); GetTrail
// reads one by ARN.
func TestCleanRunTrailOfAnotherRegion(t *testing.T) {
	const audit = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/eu-audit"
	reg := awsstub.New(t)
	registerLab(reg, map[string]any{"Name": "eu-audit", "TrailARN": audit, "HomeRegion": "eu-west-1", "S3BucketName": bucket,
		"IsMultiRegionTrail": false, "IsOrganizationTrail": false})
	io, err := runClean(t, reg, "--region", "us-west-2", "--json")
	require.NoError(t, err, "a kept bucket is not the lab's: nothing of the lab would be left")
	var doc struct {
		Actions []struct{ Type, Name, Action, Status, Detail string } `json:"actions"`
	}
	require.NoError(t, json.Unmarshal(io.Out.Bytes(), &doc), io.Out.String())
	require.Len(t, doc.Actions, 4, io.Out.String())
	b := doc.Actions[1]
	assert.Equal(t, [3]string{"bucket", bucket, "kept"}, [3]string{b.Type, b.Name, b.Status})
	assert.Equal(t, "trail "+audit+" logs to it, so it is not only the lab's", b.Detail)
}

// --json is exactly {"actions": [{"type", "name", "action", "status",
// "detail"}]} (issue 15, docs/teardown.md), every action planned.
func TestCleanRunDryRunJSON(t *testing.T) {
	reg := awsstub.New(t)
	registerLab(reg)
	io, err := runClean(t, reg, "--region", "us-west-2", "--json")
	require.NoError(t, err)

	var doc map[string][]map[string]string
	dec := json.NewDecoder(bytes.NewReader(io.Out.Bytes()))
	require.NoError(t, dec.Decode(&doc), io.Out.String())
	require.Equal(t, []string{"actions"}, keys(doc))
	var got [][4]string
	for _, a := range doc["actions"] {
		assert.Equal(t, []string{"action", "detail", "name", "status", "type"}, keys(a))
		assert.NotEmpty(t, a["detail"])
		got = append(got, [4]string{a["type"], a["name"], a["action"], a["status"]})
	}
	assert.Equal(t, [][4]string{
		{"trail", "myTrail", "delete", "planned"},
		{"bucket", bucket, "empty and delete", "planned"},
		{"alias", "alias/myFirstKey", "delete", "planned"},
		{"key", keyID, "schedule deletion", "planned"},
	}, got)
}

// keys are m's keys, sorted, so that a comparison does not depend on map
// order.
func keys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// A throttled read is never "nothing there": the resource it was reading
// is failed, with the cause and when to retry, and the run does not exit
// 0. Each service's throttling shape: KMS and CloudTrail 400
// ThrottlingException (their API References, "Common Errors"), S3 503
// SlowDown (Amazon S3 API Reference, "Error responses").
func TestCleanRunThrottled(t *testing.T) {
	noTrails := awsstub.JSONResponse(map[string]any{"trailList": []any{}})
	noBuckets := awsstub.XMLResponse(200, `<ListAllMyBucketsResult><Owner><ID>o</ID></Owner><Buckets></Buckets></ListAllMyBucketsResult>`)
	aliasMissing := awsstub.JSONError(400, "NotFoundException", "Alias arn:aws:kms:us-west-2:111122223333:alias/myFirstKey is not found.")
	tests := []struct {
		name                string
		trail, buckets, key awsstub.Responder
		wantType, wantName  string
	}{
		{name: "kms", trail: noTrails, buckets: noBuckets,
			key:      awsstub.JSONError(400, "ThrottlingException", "Rate exceeded"),
			wantType: "alias", wantName: "alias/myFirstKey"},
		{name: "cloudtrail", key: aliasMissing, buckets: noBuckets,
			trail:    awsstub.JSONError(400, "ThrottlingException", "Rate exceeded"),
			wantType: "trail", wantName: "myTrail"},
		{name: "s3", trail: noTrails, key: aliasMissing,
			buckets:  awsstub.S3Error(503, "SlowDown", "Please reduce your request rate."),
			wantType: "bucket", wantName: "mycloudtrailbucket*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := awsstub.New(t)
			reg.Register(awsstub.Query("sts", "GetCallerIdentity"), awsstub.Identity(account, caller))
			reg.Register(awsstub.JSON("cloudtrail", "DescribeTrails"), tt.trail)
			if tt.name != "cloudtrail" {
				reg.Register(awsstub.JSON("cloudtrail", "ListTrails"), awsstub.JSONResponse(map[string]any{"Trails": []any{}}))
			}
			reg.Register(awsstub.S3("GET", "/?x-id=ListBuckets&prefix=mycloudtrailbucket"), tt.buckets)
			reg.Register(awsstub.JSON("kms", "DescribeKey"), tt.key)
			io, err := runClean(t, reg, "--region", "us-west-2", "--json")

			// docs/teardown.md: 1 when something could not be removed; a
			// throttled read is not a denied one (2).
			code, _ := cmdutil.ExitCode(err)
			assert.Equal(t, cmdutil.ExitFailed, code)
			var doc struct {
				Actions []struct{ Type, Name, Action, Status, Detail string } `json:"actions"`
			}
			require.NoError(t, json.Unmarshal(io.Out.Bytes(), &doc), io.Out.String())
			require.Len(t, doc.Actions, 1, "only the throttled resource is reported; the others are not there")
			a := doc.Actions[0]
			assert.Equal(t, tt.wantType, a.Type)
			assert.Equal(t, tt.wantName, a.Name)
			assert.Equal(t, "none", a.Action)
			assert.Equal(t, "failed", a.Status)
			assert.Contains(t, a.Detail, "throttled")
			assert.Contains(t, a.Detail, "run clean again later")
		})
	}
}
