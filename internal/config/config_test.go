// Tests of the config package's API: defaults, explicit values and every
// value rule, with the exact message a user reads. The limits come from the
// AWS documentation cited beside each rule in validate.go.
package config_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// projectDir is the repository root, where Pulumi.yaml and assets/ live.
const projectDir = "../.."

// labUser is the lab's signed-in IAM user, whoever runs pulumi up.
const labUser = "arn:aws:iam::111122223333:user/AWSLabsUser-example"

// labTarget is what the data sources report for the lab's signed-in user.
var labTarget = config.Target{Partition: "aws", Deployer: labUser}

func lookup(values map[string]string) config.Lookup {
	return func(key string) (string, bool) {
		v, ok := values[key]
		return v, ok
	}
}

func TestConfigDefaultsReproduceTheLab(t *testing.T) {
	cfg, err := config.Load(lookup(nil), projectDir, labTarget)
	require.NoError(t, err)
	assert.Equal(t, "myFirstKey", cfg.KeyAlias)
	assert.Equal(t, "KMS Key for S3 data", cfg.KeyDescription)
	assert.Equal(t, []string{labUser}, cfg.KeyAdministrators, "the default [deployer] is whoever runs pulumi up")
	assert.Equal(t, []string{labUser}, cfg.KeyUsers, "the default [deployer] is whoever runs pulumi up")
	assert.Equal(t, 7, cfg.DeletionWindowDays)
	assert.True(t, cfg.KeyRotation)
	assert.Equal(t, "myTrail", cfg.TrailName)
	assert.Equal(t, "mycloudtrailbucket", cfg.BucketNamePrefix)
	assert.Empty(t, cfg.BucketName)
	assert.True(t, cfg.ForceDestroy)
	assert.True(t, cfg.DataEvents)
	assert.True(t, cfg.Insights)
	assert.Equal(t, "lab-image.png", cfg.ObjectKey)
	assert.Equal(t, "image/png", cfg.ImageContentType)
	assert.True(t, cfg.PublicObjectACL)
	assert.Equal(t, config.PublicAccessBlock{BlockPublicPolicy: true, RestrictPublicBuckets: true}, cfg.PublicAccessBlock())
}

func TestConfigExplicitValues(t *testing.T) {
	cfg, err := config.Load(lookup(map[string]string{
		"kms-lab:keyAdministrators":     `["arn:aws:iam::111122223333:role/Admin"]`,
		"kms-lab:keyUsers":              `[]`,
		"kms-lab:keyDeletionWindowDays": "30",
		"kms-lab:bucketName":            "my-lab-logs-1",
		"kms-lab:objectKey":             "images/key.png",
		"kms-lab:publicAccess":          "all-off",
		"kms-lab:insights":              "false",
		"kms-lab:tags":                  `{"class":"kms101"}`,
	}), projectDir, labTarget)
	require.NoError(t, err)
	assert.Equal(t, []string{"arn:aws:iam::111122223333:role/Admin"}, cfg.KeyAdministrators)
	assert.NotNil(t, cfg.KeyUsers)
	assert.Empty(t, cfg.KeyUsers, "an explicit [] means no key users, not the default")
	assert.Equal(t, 30, cfg.DeletionWindowDays)
	assert.Equal(t, "my-lab-logs-1", cfg.BucketName)
	assert.Empty(t, cfg.BucketNamePrefix, "an exact name replaces the default prefix")
	assert.Equal(t, "images/key.png", cfg.ObjectKey)
	assert.Equal(t, config.PublicAccessBlock{}, cfg.PublicAccessBlock())
	assert.False(t, cfg.Insights)
	assert.Equal(t, map[string]string{"class": "kms101"}, cfg.Tags)

	cfg, err = config.Load(lookup(map[string]string{
		"kms-lab:keyUsers": `["arn:aws:iam::111122223333:role/Grader","deployer"]`,
	}), projectDir, labTarget)
	require.NoError(t, err)
	assert.Equal(t, []string{"arn:aws:iam::111122223333:role/Grader", labUser}, cfg.KeyUsers, "deployer mixes with explicit ARNs")
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	textFile := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(textFile, []byte("just some text, not an image"), 0o644))
	emptyFile := filepath.Join(dir, "empty.png")
	require.NoError(t, os.WriteFile(emptyFile, nil, 0o644))
	bigFile := filepath.Join(dir, "big.png")
	png, err := os.ReadFile(filepath.Join(projectDir, "assets/lab-image.png"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(bigFile, append(png, make([]byte, 10<<20)...), 0o644))
	bigSize := len(png) + 10<<20
	spaceFile := filepath.Join(dir, "lab image.png")
	require.NoError(t, os.WriteFile(spaceFile, png, 0o644))

	long := strings.Repeat("é", 8193)
	tests := []struct {
		name   string
		values map[string]string
		want   []string // the problems, in schema order, as the user reads them
	}{
		{"reserved alias", map[string]string{"kms-lab:keyAlias": "aws/myKey"},
			[]string{`kms-lab:keyAlias = "aws/myKey": must not start with aws/: that prefix is reserved for AWS managed keys`}},
		{"alias with prefix", map[string]string{"kms-lab:keyAlias": "alias/myFirstKey"},
			[]string{`kms-lab:keyAlias = "alias/myFirstKey": give the name without the alias/ prefix (it is added for you), e.g. "myFirstKey"`}},
		{"alias characters", map[string]string{"kms-lab:keyAlias": "my key!"},
			[]string{`kms-lab:keyAlias = "my key!": may contain only letters, digits, slashes (/), underscores (_) and dashes (-)`}},
		{"malformed ARN", map[string]string{"kms-lab:keyUsers": `["AWSLabsUser-1"]`},
			[]string{`kms-lab:keyUsers = "AWSLabsUser-1": must be an IAM user, role or account root ARN, like arn:aws:iam::111122223333:user/NAME, arn:aws:iam::111122223333:role/NAME or arn:aws:iam::111122223333:root, or deployer for whoever runs pulumi up`}},
		{"session ARN", map[string]string{"kms-lab:keyAdministrators": `["arn:aws:sts::111122223333:assumed-role/Lab/alice"]`},
			[]string{`kms-lab:keyAdministrators = "arn:aws:sts::111122223333:assumed-role/Lab/alice": is an assumed-role session ARN, which is not a valid key-policy principal; use the role ARN arn:aws:iam::111122223333:role/Lab`}},
		{"duplicate principal", map[string]string{"kms-lab:keyUsers": `["arn:aws:iam::111122223333:user/a","arn:aws:iam::111122223333:user/a"]`},
			[]string{`kms-lab:keyUsers = "arn:aws:iam::111122223333:user/a": is listed twice`}},
		{"not a list", map[string]string{"kms-lab:keyUsers": `arn:aws:iam::111122223333:user/a`},
			[]string{`kms-lab:keyUsers = "arn:aws:iam::111122223333:user/a": must be a list of strings`}},
		{"window too short", map[string]string{"kms-lab:keyDeletionWindowDays": "6"},
			[]string{`kms-lab:keyDeletionWindowDays = "6": must be between 7 and 30 days`}},
		{"window too long", map[string]string{"kms-lab:keyDeletionWindowDays": "31"},
			[]string{`kms-lab:keyDeletionWindowDays = "31": must be between 7 and 30 days`}},
		{"window not a number, reported once", map[string]string{"kms-lab:keyDeletionWindowDays": "a week"},
			[]string{`kms-lab:keyDeletionWindowDays = "a week": must be a whole number`}},
		{"trail name adjacent", map[string]string{"kms-lab:trailName": "my--trail"},
			[]string{`kms-lab:trailName = "my--trail": must not have adjacent periods, underscores or dashes`}},
		{"trail name short", map[string]string{"kms-lab:trailName": "ab"},
			[]string{`kms-lab:trailName = "ab": must be 3 to 128 characters`}},
		{"trail name IP", map[string]string{"kms-lab:trailName": "192.168.5.4"},
			[]string{`kms-lab:trailName = "192.168.5.4": must not be formatted as an IP address`}},
		{"bucket uppercase", map[string]string{"kms-lab:bucketName": "MyBucket"},
			[]string{`kms-lab:bucketName = "MyBucket": may contain only lowercase letters, digits and hyphens, and must start and end with a letter or digit`}},
		{"bucket dots", map[string]string{"kms-lab:bucketName": "my.bucket"},
			[]string{`kms-lab:bucketName = "my.bucket": must not contain dots: the lab opens the object by its virtual-hosted HTTPS URL, whose certificate does not cover dotted bucket names`}},
		{"bucket both", map[string]string{"kms-lab:bucketName": "mybucket", "kms-lab:bucketNamePrefix": "lab"},
			[]string{`kms-lab:bucketName = "mybucket": set either bucketName or bucketNamePrefix ("lab"), not both`}},
		{"prefix too long", map[string]string{"kms-lab:bucketNamePrefix": strings.Repeat("a", 38)},
			[]string{`kms-lab:bucketNamePrefix = "` + strings.Repeat("a", 38) + `": must be at most 37 characters: the provider appends 26 characters and bucket names end at 63`}},
		{"missing image", map[string]string{"kms-lab:imagePath": "assets/nope.png"},
			[]string{`kms-lab:imagePath = "assets/nope.png": file does not exist`}},
		{"not an image", map[string]string{"kms-lab:imagePath": textFile},
			[]string{`kms-lab:imagePath = "` + textFile + `": is text/plain; charset=utf-8, not an image (PNG, JPEG, GIF, WebP or BMP)`}},
		{"object key chars", map[string]string{"kms-lab:objectKey": "my image.png"},
			[]string{`kms-lab:objectKey = "my image.png": may contain only letters, digits and the characters ! _ . * ' ( ) / - (S3's safe characters, so the object URL needs no escaping)`}},
		{"blocked with public ACL", map[string]string{"kms-lab:publicAccess": "blocked"},
			[]string{`kms-lab:publicAccess = "blocked": cannot block public ACLs while publicObjectAcl is true: S3 would refuse the public-read ACL with AccessDenied; set publicObjectAcl to false or publicAccess to object-acl`}},
		{"unknown public access", map[string]string{"kms-lab:publicAccess": "open"},
			[]string{`kms-lab:publicAccess = "open": must be one of object-acl, all-off, blocked`}},
		{"bad boolean", map[string]string{"kms-lab:dataEvents": "yes"},
			[]string{`kms-lab:dataEvents = "yes": must be true or false`}},
		{"scope without data events", map[string]string{"kms-lab:dataEvents": "false", "kms-lab:dataEventsScope": "exclude-trail-bucket"},
			[]string{`kms-lab:dataEventsScope = "exclude-trail-bucket": has no effect while dataEvents is false; set dataEvents to true, or remove dataEventsScope`}},
		{"unknown scope", map[string]string{"kms-lab:dataEventsScope": "mine"},
			[]string{`kms-lab:dataEventsScope = "mine": must be one of all-buckets, exclude-trail-bucket`}},
		{"reserved tag", map[string]string{"kms-lab:tags": `{"aws:owner":"me"}`},
			[]string{`kms-lab:tags = "aws:owner": tag keys must not start with aws: (reserved by AWS)`}},
		{"principal in another partition", map[string]string{"kms-lab:keyUsers": `["arn:aws-cn:iam::111122223333:user/a"]`},
			[]string{`kms-lab:keyUsers = "arn:aws-cn:iam::111122223333:user/a": is not in partition aws, the partition this stack deploys to; write arn:aws:...`}},
		{"description too long in characters", map[string]string{"kms-lab:keyDescription": long},
			[]string{`kms-lab:keyDescription = "` + long[:80] + `...": must be at most 8192 characters (got 8193)`}},
		{"bucket prefix dots", map[string]string{"kms-lab:bucketNamePrefix": "my.logs"},
			[]string{`kms-lab:bucketNamePrefix = "my.logs": must not contain dots: the lab opens the object by its virtual-hosted HTTPS URL, whose certificate does not cover dotted bucket names`}},
		{"bucket prefix characters", map[string]string{"kms-lab:bucketNamePrefix": "-logs"},
			[]string{`kms-lab:bucketNamePrefix = "-logs": may contain only lowercase letters, digits and hyphens, and must start with a letter or digit`}},
		{"bucket reserved prefix", map[string]string{"kms-lab:bucketName": "xn--labbucket"},
			[]string{`kms-lab:bucketName = "xn--labbucket": must not start with xn--, sthree- or amzn-s3-demo- (reserved by S3)`}},
		{"bucket reserved suffix", map[string]string{"kms-lab:bucketName": "labbucket-s3alias"},
			[]string{`kms-lab:bucketName = "labbucket-s3alias": must not end with -s3alias, --ol-s3, .mrap or --x-s3 (reserved by S3)`}},
		{"object key dot segment", map[string]string{"kms-lab:objectKey": "images/../key.png"},
			[]string{`kms-lab:objectKey = "images/../key.png": must not contain empty, . or .. path segments`}},
		{"object key empty segment", map[string]string{"kms-lab:objectKey": "images//key.png"},
			[]string{`kms-lab:objectKey = "images//key.png": must not contain empty, . or .. path segments`}},
		{"object key leading slash", map[string]string{"kms-lab:objectKey": "/key.png"},
			[]string{`kms-lab:objectKey = "/key.png": must not start or end with a slash`}},
		{"object key from the file name", map[string]string{"kms-lab:imagePath": spaceFile},
			[]string{`kms-lab:imagePath = "lab image.png": the file name becomes the object key, which may contain only letters, digits and the characters ! _ . * ' ( ) / - (S3's safe characters, so the object URL needs no escaping); rename the file or set objectKey`}},
		{"image is a directory", map[string]string{"kms-lab:imagePath": "assets"},
			[]string{`kms-lab:imagePath = "assets": is a directory, not an image file`}},
		{"image is empty", map[string]string{"kms-lab:imagePath": emptyFile},
			[]string{`kms-lab:imagePath = "` + emptyFile + `": is empty`}},
		{"image too large", map[string]string{"kms-lab:imagePath": bigFile},
			[]string{fmt.Sprintf(`kms-lab:imagePath = "%s": is %d bytes; the lab image must be at most 10485760 bytes`, bigFile, bigSize)}},
		{"too many tags", map[string]string{"kms-lab:tags": manyTags(50)},
			[]string{`kms-lab:tags = "50 tags": at most 49 tags are allowed (AWS allows 50 and kms-lab adds kms-lab:stack)`}},
		{"tag with our prefix", map[string]string{"kms-lab:tags": `{"kms-lab:stack":"other"}`},
			[]string{`kms-lab:tags = "kms-lab:stack": tag keys must not start with kms-lab: (kms-lab sets kms-lab:stack itself)`}},
		{"tag characters", map[string]string{"kms-lab:tags": `{"class":"kms#101"}`},
			[]string{`kms-lab:tags = "class=kms#101": tag values may contain only letters, digits, spaces and + - = . _ : / @`}},
		{"tags reported in key order", map[string]string{"kms-lab:tags": `{"aws:c":"1","aws:a":"1","aws:b":"1"}`},
			[]string{
				`kms-lab:tags = "aws:a": tag keys must not start with aws: (reserved by AWS)`,
				`kms-lab:tags = "aws:b": tag keys must not start with aws: (reserved by AWS)`,
				`kms-lab:tags = "aws:c": tag keys must not start with aws: (reserved by AWS)`,
			}},
		{"several at once, in schema order", map[string]string{
			"kms-lab:trailName":             "-bad",
			"kms-lab:keyDeletionWindowDays": "3",
			"kms-lab:keyAlias":              "aws/x",
		}, []string{
			`kms-lab:keyAlias = "aws/x": must not start with aws/: that prefix is reserved for AWS managed keys`,
			`kms-lab:keyDeletionWindowDays = "3": must be between 7 and 30 days`,
			`kms-lab:trailName = "-bad": must start and end with a letter or digit`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := config.Load(lookup(tt.values), projectDir, labTarget)
			require.Error(t, err)
			assert.Nil(t, cfg)
			var cerr *config.Errors
			require.ErrorAs(t, err, &cerr)
			var got []string
			for _, p := range cerr.Problems {
				got = append(got, p.String())
			}
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.want, strings.Split(err.Error(), "\n  - ")[1:], "the message lists the same lines")
		})
	}
}

// TestErrorsCountProblems: "1 problem", never "1 problems" (issue 14).
func TestErrorsCountProblems(t *testing.T) {
	tests := []struct {
		values map[string]string
		want   string
	}{
		{map[string]string{"kms-lab:keyAlias": "aws/x"},
			"invalid kms-lab configuration (1 problem):\n  - kms-lab:keyAlias = \"aws/x\": must not start with aws/: that prefix is reserved for AWS managed keys"},
		{map[string]string{"kms-lab:keyAlias": "", "kms-lab:trailName": ""},
			"invalid kms-lab configuration (2 problems):\n  - kms-lab:keyAlias = \"\": must not be empty\n  - kms-lab:trailName = \"\": must be 3 to 128 characters"},
	}
	for _, tt := range tests {
		_, err := config.Load(lookup(tt.values), projectDir, labTarget)
		require.Error(t, err)
		assert.Equal(t, tt.want, err.Error())
	}
}

// TestPulumiYAMLMatchesSettings keeps the CLI's view of the config (Pulumi.yaml)
// and the loader's (config.Settings) identical: same keys, types, defaults
// and descriptions.
func TestPulumiYAMLMatchesSettings(t *testing.T) {
	proj, err := workspace.LoadProject(filepath.Join(projectDir, "Pulumi.yaml"))
	require.NoError(t, err)
	assert.Equal(t, "kms-lab", string(proj.Name))
	assert.Equal(t, "go", proj.Runtime.Name())

	declared := map[string]bool{}
	for k := range proj.Config {
		declared[k] = true
	}
	for _, s := range config.Settings() {
		decl, ok := proj.Config[s.Key]
		if !assert.True(t, ok, "Pulumi.yaml lacks %s", s.Key) {
			continue
		}
		delete(declared, s.Key)
		require.NotNil(t, decl.Type, s.Key)
		assert.Equal(t, string(s.Type), *decl.Type, "type of %s", s.Key)
		assert.Equal(t, s.Description, decl.Description, "description of %s", s.Key)
		if s.Type == config.TypeArray {
			require.NotNil(t, decl.Items, s.Key)
			assert.Equal(t, string(s.ItemType), decl.Items.Type, "item type of %s", s.Key)
		}
		assert.NotNil(t, decl.Default, "%s needs a default: the CLI refuses to run while a typed key without one is unset", s.Key)
		assert.True(t, sameDefault(s.Default, decl.Default), "default of %s: Go %#v, Pulumi.yaml %#v", s.Key, s.Default, decl.Default)
	}
	assert.Empty(t, declared, "Pulumi.yaml declares keys the loader does not read")
}

func manyTags(n int) string {
	m := map[string]string{}
	for i := 0; i < n; i++ {
		m[fmt.Sprintf("t%02d", i)] = "v"
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func sameDefault(goDefault, yamlDefault any) bool {
	if goDefault == nil || yamlDefault == nil {
		return goDefault == nil && yamlDefault == nil
	}
	if l, ok := goDefault.([]any); ok {
		y, ok := yamlDefault.([]any)
		return ok && reflect.DeepEqual(l, y)
	}
	if m, ok := goDefault.(map[string]any); ok {
		y, ok := yamlDefault.(map[string]any)
		return ok && reflect.DeepEqual(m, y)
	}
	return reflect.DeepEqual(goDefault, yamlDefault)
}
