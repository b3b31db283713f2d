package preflight_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3ctltypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/motoserver"
)

const (
	account = motoserver.Account
	region  = "us-west-2"
	stack   = "pf"
)

// labAccount is a fresh moto account with an IAM user "deployer" whose keys
// labctl uses, the way an instructor runs preflight with the deployer's
// credentials.
type labAccount struct {
	t     *testing.T
	front *front
	cfg   aws.Config // admin access to moto itself, for the setup
	dir   string
	// allowed is the stack's aws:allowedAccountIds, "" for none.
	allowed string
}

func newLabAccount(t *testing.T) *labAccount {
	srv := moto.Need(t)
	ctx := context.Background()
	require.NoError(t, srv.Reset(ctx))
	la := &labAccount{t: t, front: newFront(t, srv.URL), dir: t.TempDir(), allowed: `["` + account + `"]`}
	la.cfg = aws.Config{Region: region, BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("admin", "admin", "")}
	client := iam.NewFromConfig(la.cfg)
	_, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("deployer")})
	require.NoError(t, err)
	key, err := client.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("deployer")})
	require.NoError(t, err)
	la.useKeys(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "")
	// Nothing from this machine's AWS setup may leak in.
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(la.dir, "no-config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(la.dir, "no-credentials"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	return la
}

func (la *labAccount) useKeys(id, secret, token string) {
	la.t.Setenv("AWS_ACCESS_KEY_ID", id)
	la.t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	la.t.Setenv("AWS_SESSION_TOKEN", token)
}

// result is one preflight run.
type result struct {
	code   int
	checks map[string]check
	names  []string // the checks' names, in the report's order
	stderr string
}

// allChecks are preflight's checks in the order docs/labctl.md's table
// lists them: each one appears in every report.
var allChecks = []string{"account", "deployer", "key-principals", "account-public-access",
	"alias-name", "bucket-name", "trail-name", "trail-quota", "management-events", "deployer-permissions"}

type check struct{ Status, Detail string }

// run writes extra config under a stack file in a directory of its own (not
// the project's), and runs `labctl preflight --json` through the front.
func (la *labAccount) run(extra string) result {
	t := la.t
	t.Helper()
	root := projectRoot(t)
	stackFile := la.writeStack(extra)
	var stdout, stderr bytes.Buffer
	f := cmdutil.New(cmdutil.BuildInfo{})
	f.IOStreams = &cmdutil.IOStreams{In: strings.NewReader(""), Out: &stdout, ErrOut: &stderr}
	code := labctl.Main(context.Background(), f, []string{"preflight", "--config", stackFile, "--project-dir", root,
		"--endpoint-url", la.front.URL, "--json"})
	var report struct {
		Checks []struct{ Name, Status, Detail string } `json:"checks"`
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &report), "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
	res := result{code: code, checks: map[string]check{}, stderr: stderr.String()}
	for _, c := range report.Checks {
		res.checks[c.Name] = check{c.Status, c.Detail}
		res.names = append(res.names, c.Name)
	}
	return res
}

// writeStack writes Pulumi.pf.yaml with extra config under the region and
// aws:allowedAccountIds, and returns its path.
func (la *labAccount) writeStack(extra string) string {
	la.t.Helper()
	stackFile := filepath.Join(la.dir, "Pulumi."+stack+".yaml")
	yaml := "config:\n  aws:region: " + region + "\n"
	if la.allowed != "" {
		yaml += "  aws:allowedAccountIds: " + la.allowed + "\n"
	}
	yaml += extra
	require.NoError(la.t, os.WriteFile(stackFile, []byte(yaml), 0o644))
	return stackFile
}

// projectRoot is the project's directory, where Pulumi.yaml is.
func projectRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	return root
}

// assertCheck checks one verdict and that the detail says what a user
// needs.
func assertCheck(t *testing.T, res result, name, status string, details ...string) {
	t.Helper()
	c, ok := res.checks[name]
	require.True(t, ok, "no %s check in %v (stderr %s)", name, res.checks, res.stderr)
	assert.Equal(t, status, c.Status, "%s: %s", name, c.Detail)
	for _, d := range details {
		assert.Contains(t, c.Detail, d, name)
	}
}

func (la *labAccount) ctx() context.Context { return context.Background() }

func (la *labAccount) bucket(name string) {
	_, err := s3.NewFromConfig(la.cfg, func(o *s3.Options) { o.UsePathStyle = true }).CreateBucket(la.ctx(), &s3.CreateBucketInput{
		Bucket:                    aws.String(name),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)},
	})
	require.NoError(la.t, err)
}

func (la *labAccount) trail(name string, logging bool) string {
	bucket := strings.ToLower(name) + "-logs"
	la.bucket(bucket)
	ct := cloudtrail.NewFromConfig(la.cfg)
	out, err := ct.CreateTrail(la.ctx(), &cloudtrail.CreateTrailInput{Name: aws.String(name), S3BucketName: aws.String(bucket)})
	require.NoError(la.t, err)
	if logging {
		_, err = ct.StartLogging(la.ctx(), &cloudtrail.StartLoggingInput{Name: aws.String(name)})
		require.NoError(la.t, err)
	}
	return aws.ToString(out.TrailARN)
}

// urn is the URN the program gives a component, as in
// tests/testdata/dev.plan.json with the stack renamed.
func urn(component, name string) string {
	return "urn:pulumi:" + stack + "::kms-lab::" + component + "::" + name
}

func TestPreflightCleanAccountPasses(t *testing.T) {
	la := newLabAccount(t)
	res := la.run("")
	assert.Equal(t, 0, res.code, "stderr: %s, checks %v", res.stderr, res.checks)
	assertCheck(t, res, "account", "pass", account)
	assertCheck(t, res, "deployer", "pass", "arn:aws:iam::"+account+":user/deployer")
	for _, name := range []string{"key-principals", "account-public-access", "alias-name", "bucket-name", "trail-name", "trail-quota", "management-events", "deployer-permissions"} {
		assertCheck(t, res, name, "pass")
	}
}

func TestPreflightAccount(t *testing.T) {
	tests := []struct {
		name, allowed, status string
		code                  int
		details               []string
	}{
		{"the stack's account", `["` + account + `"]`, "pass", 0, []string{"account " + account}},
		{"another account", `["111122223333"]`, "fail", 1, []string{"credentials are for account " + account, "111122223333"}},
		{"no allowedAccountIds", "", "warn", 0, []string{"pulumi config set --path 'aws:allowedAccountIds[0]' " + account}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			la := newLabAccount(t)
			la.allowed = tt.allowed
			res := la.run("")
			assertCheck(t, res, "account", tt.status, tt.details...)
			assert.Equal(t, tt.code, res.code, res.checks)
			assert.Equal(t, allChecks, res.names, "every check is listed, in order")
			if tt.status == "fail" {
				// Issue 23: nothing else is checked in the wrong account,
				// and every other check says so rather than vanishing.
				for _, name := range allChecks[1:] {
					assertCheck(t, res, name, "unknown", "not checked: the credentials are for account "+account+", not the stack's (see account)")
				}
			}
		})
	}
}

// An assumed-role deployer is the role, with its path, as IAM's session
// context reports it; without iam:GetRole, pulumi up cannot resolve
// `deployer` either.
func TestPreflightDeployerSession(t *testing.T) {
	tests := []struct {
		name        string
		denyGetRole bool
		status      string
		detail      string
	}{
		{"role found with its path", false, "pass", "arn:aws:iam::" + account + ":role/lab/Deployer"},
		{"iam:GetRole denied", true, "fail", "grant iam:GetRole on the role, or list the key's principals explicitly"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			la := newLabAccount(t)
			client := iam.NewFromConfig(la.cfg)
			_, err := client.CreateRole(la.ctx(), &iam.CreateRoleInput{RoleName: aws.String("Deployer"), Path: aws.String("/lab/"),
				AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"sts:AssumeRole"}]}`)})
			require.NoError(t, err)
			creds, err := sts.NewFromConfig(la.cfg).AssumeRole(la.ctx(), &sts.AssumeRoleInput{
				RoleArn: aws.String("arn:aws:iam::" + account + ":role/lab/Deployer"), RoleSessionName: aws.String("instructor")})
			require.NoError(t, err)
			la.useKeys(aws.ToString(creds.Credentials.AccessKeyId), aws.ToString(creds.Credentials.SecretAccessKey), aws.ToString(creds.Credentials.SessionToken))
			la.front.accessDenied["GetRole"] = tt.denyGetRole
			res := la.run("")
			assertCheck(t, res, "deployer", tt.status, tt.detail)
		})
	}
}

// "The principals in the key policy must exist and be visible to KMS" (AWS
// KMS API Reference, CreateKey, Policy); otherwise
// MalformedPolicyDocumentException.
func TestPreflightKeyPrincipals(t *testing.T) {
	tests := []struct {
		name, users, status string
		details             []string
	}{
		{"existing user", `["arn:aws:iam::` + account + `:user/student"]`, "pass", []string{"arn:aws:iam::" + account + ":user/student"}},
		{"account root", `["arn:aws:iam::` + account + `:root"]`, "pass", []string{"arn:aws:iam::" + account + ":root"}},
		{"missing user", `["arn:aws:iam::` + account + `:user/ghost"]`, "fail",
			[]string{"arn:aws:iam::" + account + ":user/ghost (keyUsers)", "MalformedPolicyDocumentException"}},
		{"existing user under another path", `["arn:aws:iam::` + account + `:user/students/student"]`, "fail",
			[]string{"user/students/student (keyUsers)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			la := newLabAccount(t)
			_, err := iam.NewFromConfig(la.cfg).CreateUser(la.ctx(), &iam.CreateUserInput{UserName: aws.String("student")})
			require.NoError(t, err)
			res := la.run("  kms-lab:keyUsers: " + tt.users + "\n")
			assertCheck(t, res, "key-principals", tt.status, tt.details...)
		})
	}
}

func TestPreflightAccountPublicAccess(t *testing.T) {
	tests := []struct {
		name         string
		block        *s3ctltypes.PublicAccessBlockConfiguration
		extra        string
		status       string
		details      []string
		wantExitCode int
	}{
		{"nothing configured", nil, "", "pass", []string{"no account-level Block Public Access"}, 0},
		{"only the policy switches", &s3ctltypes.PublicAccessBlockConfiguration{BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}, "", "pass", nil, 0},
		{"public ACLs blocked", &s3ctltypes.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true)}, "", "fail",
			[]string{"BlockPublicAcls=true", "lab task 4 cannot work", "aws s3control put-public-access-block --account-id " + account,
				"pulumi config set kms-lab:publicObjectAcl false --stack " + stack}, 1},
		{"public ACLs ignored", &s3ctltypes.PublicAccessBlockConfiguration{IgnorePublicAcls: aws.Bool(true)}, "", "fail", []string{"IgnorePublicAcls (S3 ignores"}, 1},
		{"blocked, no public ACL wanted", &s3ctltypes.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true)},
			"  kms-lab:publicObjectAcl: \"false\"\n", "pass", []string{"publicObjectAcl is false"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			la := newLabAccount(t)
			if tt.block != nil {
				_, err := s3control.NewFromConfig(la.cfg, withoutAccountHost).PutPublicAccessBlock(la.ctx(), &s3control.PutPublicAccessBlockInput{
					AccountId: aws.String(account), PublicAccessBlockConfiguration: tt.block})
				require.NoError(t, err)
			}
			res := la.run(tt.extra)
			assertCheck(t, res, "account-public-access", tt.status, tt.details...)
			assert.Equal(t, tt.wantExitCode, res.code, res.checks)
		})
	}
}

// Resources made by hand block pulumi up; the fix is the exact pulumi import
// (type token and import ID from the pulumi-aws docs of each resource, names
// and parents as in tests/testdata/dev.plan.json) or another name.
func TestPreflightNameClashes(t *testing.T) {
	t.Run("alias", func(t *testing.T) {
		la := newLabAccount(t)
		assertCheck(t, la.run(""), "alias-name", "pass", "alias/myFirstKey is free")
		client := kms.NewFromConfig(la.cfg)
		key, err := client.CreateKey(la.ctx(), &kms.CreateKeyInput{})
		require.NoError(t, err)
		_, err = client.CreateAlias(la.ctx(), &kms.CreateAliasInput{AliasName: aws.String("alias/myFirstKey"), TargetKeyId: key.KeyMetadata.KeyId})
		require.NoError(t, err)
		res := la.run("")
		assertCheck(t, res, "alias-name", "fail",
			"`pulumi import --stack pf 'aws:kms/alias:Alias' lab-key 'alias/myFirstKey' --parent 'lab-key="+urn("kms-lab:kms:EncryptionKey", "lab-key")+"' --protect=false`",
			"pulumi config set kms-lab:keyAlias myFirstKey-pf --stack pf")
		assert.Equal(t, 1, res.code)
	})
	t.Run("trail", func(t *testing.T) {
		la := newLabAccount(t)
		assertCheck(t, la.run(""), "trail-name", "pass")
		arn := la.trail("myTrail", false)
		assertCheck(t, la.run(""), "trail-name", "fail",
			"`pulumi import --stack pf 'aws:cloudtrail/trail:Trail' audit-trail '"+arn+"' --parent 'audit-trail="+urn("kms-lab:cloudtrail:AuditTrail", "audit-trail")+"' --protect=false`",
			"pulumi config set kms-lab:trailName myTrail-pf --stack pf")
	})
	t.Run("exact bucket name", func(t *testing.T) {
		la := newLabAccount(t)
		const extra = "  kms-lab:bucketName: kms-lab-pf-logs\n"
		assertCheck(t, la.run(extra), "bucket-name", "pass", "does not exist yet")
		la.bucket("kms-lab-pf-logs")
		assertCheck(t, la.run(extra), "bucket-name", "fail",
			"`pulumi import --stack pf 'aws:s3/bucketV2:BucketV2' trail-bucket 'kms-lab-pf-logs' --parent 'trail-bucket="+urn("kms-lab:s3:TrailBucket", "trail-bucket")+"' --protect=false`")
		la.front.foreignBuckets["kms-lab-pf-logs"] = true
		assertCheck(t, la.run(extra), "bucket-name", "fail", "belongs to another account", "pulumi config set kms-lab:bucketName")
	})
	t.Run("generated bucket name", func(t *testing.T) {
		la := newLabAccount(t)
		assertCheck(t, la.run(""), "bucket-name", "pass", "no clash possible")
	})
}

// "Trails per Region: 5 ... This quota cannot be increased" (AWS CloudTrail
// User Guide, "Quotas in AWS CloudTrail").
func TestPreflightTrailQuota(t *testing.T) {
	la := newLabAccount(t)
	for _, name := range []string{"org-a", "org-b", "org-c", "org-d"} {
		la.trail(name, false)
	}
	assertCheck(t, la.run(""), "trail-quota", "pass", "4 of 5 trails in us-west-2")
	la.trail("org-e", false)
	res := la.run("")
	assertCheck(t, res, "trail-quota", "fail", "5 of 5 trails already in us-west-2", "MaximumNumberOfTrailsExceededException")
	assert.Equal(t, 1, res.code)
}

// The first copy of management events is free, further copies cost $2.00
// per 100,000 (docs/costs.md, from AWS CloudTrail pricing).
func TestPreflightManagementEvents(t *testing.T) {
	la := newLabAccount(t)
	la.trail("stopped", false)
	assertCheck(t, la.run(""), "management-events", "pass", "free first copy")
	la.trail("org-trail", true)
	// AWS gives a new trail this selector by default ("Logging management
	// events", AWS CloudTrail User Guide); moto returns none, so it is set
	// explicitly, as an organization trail's owner would.
	_, err := cloudtrail.NewFromConfig(la.cfg).PutEventSelectors(la.ctx(), &cloudtrail.PutEventSelectorsInput{TrailName: aws.String("org-trail"),
		EventSelectors: []cttypes.EventSelector{{IncludeManagementEvents: aws.Bool(true), ReadWriteType: cttypes.ReadWriteTypeAll}}})
	require.NoError(t, err)
	res := la.run("")
	assertCheck(t, res, "management-events", "warn", "org-trail", "$2.00 per 100,000 management events")
	assert.Equal(t, 0, res.code, "a warning does not fail preflight")
}

func TestPreflightDeployerPermissions(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*front)
		status  string
		details []string
	}{
		{"all allowed", func(*front) {}, "pass", []string{"may do all"}},
		{"one action denied", func(f *front) { f.deniedActions["kms:CreateKey"] = "implicitDeny" }, "fail",
			[]string{"kms:CreateKey on * (implicitDeny)", "attach the deployer policy"}},
		{"simulation not allowed", func(f *front) { f.accessDenied["SimulatePrincipalPolicy"] = true }, "warn",
			[]string{"not checked", "may not call iam:SimulatePrincipalPolicy"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			la := newLabAccount(t)
			tt.setup(la.front)
			assertCheck(t, la.run(""), "deployer-permissions", tt.status, tt.details...)
		})
	}
}

// withoutAccountHost lets the setup reach moto's S3 Control: the SDK puts
// the account in the host name, which a loopback endpoint cannot serve.
func withoutAccountHost(o *s3control.Options) {
	o.EndpointResolverV2 = hostless{s3control.NewDefaultEndpointResolverV2()}
}

type hostless struct{ next s3control.EndpointResolverV2 }

func (h hostless) ResolveEndpoint(ctx context.Context, p s3control.EndpointParameters) (smithyendpoints.Endpoint, error) {
	ep, err := h.next.ResolveEndpoint(ctx, p)
	if err == nil && p.AccountId != nil {
		ep.URI.Host = strings.TrimPrefix(ep.URI.Host, *p.AccountId+".")
	}
	return ep, err
}
