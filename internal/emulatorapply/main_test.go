package emulatorapply_test

import (
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/emulatorapply"
	"github.com/kms-lab/kms-lab/internal/motoserver"
	"github.com/kms-lab/kms-lab/internal/plan"
)

// suite is the moto server TestMain starts, read-only once tests run.
var suite *motoserver.Suite

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	flag.Parse()
	dir, err := os.MkdirTemp("", "emulatorapply-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "emulatorapply tests:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	suite = motoserver.StartSuite(dir)
	defer suite.Stop()
	return m.Run()
}

const region = "us-west-2" // Pulumi.dev.yaml's aws:region

// projectDir is the repository root, where Pulumi.yaml and the assets are.
func projectDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	return dir
}

// accountFor gives each test an emulator account of its own, derived from
// its name so that tests sharing one moto server never meet.
func accountFor(t *testing.T) string {
	h := fnv.New64a()
	h.Write([]byte(t.Name()))
	return fmt.Sprintf("9%011d", h.Sum64()%100_000_000_000)
}

// deployed is the dev stack's plan applied to a fresh emulator account.
type deployed struct {
	session *emulatorapply.Session
	plan    *plan.Plan
	opts    plan.Options
	applied *emulatorapply.Applied
}

// applyDev renders Pulumi.dev.yaml for a session of role LabDeployer in the
// test's account and applies it to moto.
func applyDev(t *testing.T) deployed {
	t.Helper()
	moto := suite.Need(t)
	ctx := context.Background()
	account := accountFor(t)
	s, err := emulatorapply.AssumeRole(ctx, moto.URL, region, "arn:aws:iam::"+account+":role/LabDeployer", "apply-test")
	require.NoError(t, err)
	opts := plan.Options{AccountID: account, Region: region, Partition: "aws", CallerARN: s.CallerARN}
	p, err := plan.RenderConfigFile(filepath.Join(projectDir(t), "Pulumi.dev.yaml"), opts)
	require.NoError(t, err)
	applied, err := emulatorapply.Apply(ctx, p, emulatorapply.Target{Config: s.Config, Options: opts, ProjectDir: projectDir(t)})
	require.NoError(t, err)
	return deployed{session: s, plan: p, opts: opts, applied: applied}
}
