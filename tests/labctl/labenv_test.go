package labctl_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
	"github.com/kms-lab/kms-lab/internal/testenv/emulatorapply"
	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
	"github.com/kms-lab/kms-lab/internal/testenv/motoserver"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

const (
	region    = "us-west-2" // Pulumi.dev.yaml's aws:region
	partition = "aws"
	// deployerRole is who runs `pulumi up` in a test's account: a session
	// of this role, like a class's aws:assumeRole.
	deployerRole = "LabDeployer"
	// studentName is the IAM user the seeded CloudTrail records show doing
	// the lab's steps in the console.
	studentName = "AWSLabsUser-e2e"
	// accountLead starts each test's account ID (mototest.AccountFor),
	// apart from moto's 123456789012 and the 111122223333 the tests use as
	// another lab's account.
	accountLead = 8
)

// lab is the dev stack's plan, applied to an emulator account of the test's
// own: the program's key policy, bucket policy, trail and image, not a copy.
type lab struct {
	account     string
	caller      string           // who deployed it
	credentials aws.Credentials  // the deployer's, handed to labctl
	sdk         *handlab.Console // clients with those credentials, for the test's own calls (breaking the lab, seeding logs)
	out         map[string]any   // the stack outputs, with the emulator's identifiers
	keyID       string
	keyARN      string
	alias       string
	bucket      string
	objectKey   string
	trailName   string
	uploaded    time.Time
}

// newLab applies Pulumi.dev.yaml's plan, deployed by a session of
// deployerRole in the test's own account.
func newLab(t *testing.T, moto *motoserver.Server) *lab {
	t.Helper()
	return newLabFrom(t, moto, filepath.Join(mototest.ProjectDir(t), "Pulumi.dev.yaml"))
}

// newLabFrom applies the plan of stackFile (a stack of this project, which
// may live anywhere), deployed like newLab's.
func newLabFrom(t *testing.T, moto *motoserver.Server, stackFile string) *lab {
	t.Helper()
	s, err := mototest.AssumeRole(context.Background(), moto.URL, region,
		"arn:aws:iam::"+mototest.AccountFor(t, accountLead)+":role/"+deployerRole, "pulumi-e2e")
	require.NoError(t, err)
	creds, err := s.Config.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	return applyLab(t, s.Config, creds, s.AccountID, s.CallerARN, stackFile)
}

// newRootLab applies the plan as the account root of moto's default
// account (moto's fixed credentials are that account's), the caller a
// brand-new lab account starts with.
func newRootLab(t *testing.T, moto *motoserver.Server) *lab {
	t.Helper()
	creds := aws.Credentials{AccessKeyID: "testing", SecretAccessKey: "testing", Source: "moto default account"}
	cfg := aws.Config{Region: region, BaseEndpoint: aws.String(moto.URL), Credentials: credentials.StaticCredentialsProvider{Value: creds}}
	return applyLab(t, cfg, creds, motoserver.Account, "arn:aws:iam::"+motoserver.Account+":root", filepath.Join(mototest.ProjectDir(t), "Pulumi.dev.yaml"))
}

func applyLab(t *testing.T, cfg aws.Config, creds aws.Credentials, account, caller, stackFile string) *lab {
	t.Helper()
	ctx := context.Background()
	opts := plan.Options{AccountID: account, Region: region, Partition: partition, CallerARN: caller}
	sc, err := stackconfig.Load(mototest.ProjectDir(t), stackFile)
	require.NoError(t, err, "loading %s", stackFile)
	p, err := plan.Render(sc, opts)
	require.NoError(t, err, "rendering the plan of %s", stackFile)
	applied, err := emulatorapply.Apply(ctx, p, emulatorapply.Target{Config: cfg, Options: opts, ProjectDir: mototest.ProjectDir(t)})
	require.NoError(t, err, "applying the dev plan to moto")

	str := func(k string) string {
		v, ok := applied.Outputs[k].(string)
		require.True(t, ok, "output %q is %v", k, applied.Outputs[k])
		return v
	}
	l := &lab{
		account: account, caller: caller, credentials: creds, sdk: handlab.NewConsole(cfg, account), out: applied.Outputs,
		keyID: str("keyId"), keyARN: str("keyArn"), alias: str("keyAlias"), bucket: str("bucketName"),
		objectKey: str("objectKey"), trailName: str("trailName"),
	}
	head, err := l.sdk.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(l.bucket), Key: aws.String(l.objectKey)})
	require.NoError(t, err, "HeadObject")
	l.uploaded = aws.ToTime(head.LastModified)
	return l
}

// outputs returns a copy of the stack outputs a test may change.
func (l *lab) outputs(t *testing.T) map[string]any {
	t.Helper()
	data, err := json.Marshal(l.out)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	return m
}

// outputsIn is a copy of the stack outputs as another account's stack would
// print them: the account ID replaced wherever it appears (ARNs, prefixes).
func (l *lab) outputsIn(t *testing.T, account string) map[string]any {
	t.Helper()
	data, err := json.Marshal(l.out)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(strings.ReplaceAll(string(data), l.account, account)), &m))
	return m
}

// student is the ARN of the IAM user in the seeded records.
func (l *lab) student() string { return "arn:aws:iam::" + l.account + ":user/" + studentName }

// writeOutputs saves outputs as a file and returns its path.
func writeOutputs(t *testing.T, outputs map[string]any) string {
	t.Helper()
	data, err := json.MarshalIndent(outputs, "", "  ")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "outputs.json")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}
