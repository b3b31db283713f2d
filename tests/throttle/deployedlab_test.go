package throttle_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/testenv/emulatorapply"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// deployedLab is the dev stack's plan applied by a deployer session in an
// account of the test's own: the program's key, bucket, trail and image.
type deployedLab struct {
	credentials aws.Credentials // the deployer's, handed to labctl
	outputsFile string          // the stack outputs, as `pulumi stack output --json` prints them
}

// newDeployedLab applies Pulumi.dev.yaml's plan in account, directly on
// moto (never through the throttling front).
func newDeployedLab(t *testing.T, motoURL, account string) *deployedLab {
	t.Helper()
	const region = "us-west-2" // Pulumi.dev.yaml's aws:region
	ctx := context.Background()
	s, err := mototest.AssumeRole(ctx, motoURL, region, "arn:aws:iam::"+account+":role/LabDeployer", "pulumi-throttle")
	require.NoError(t, err)
	opts := plan.Options{AccountID: s.AccountID, Region: region, Partition: "aws", CallerARN: s.CallerARN}
	p, err := plan.RenderFile("", filepath.Join(mototest.ProjectDir(t), "Pulumi.dev.yaml"), opts)
	require.NoError(t, err, "rendering the dev plan")
	applied, err := emulatorapply.Apply(ctx, p, emulatorapply.Target{Config: s.Config, Options: opts, ProjectDir: mototest.ProjectDir(t)})
	require.NoError(t, err, "applying the dev plan to moto")
	data, err := json.MarshalIndent(applied.Outputs, "", "  ")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "outputs.json")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return &deployedLab{credentials: s.Credentials, outputsFile: path}
}
