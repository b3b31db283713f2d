package emulatorapply_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/testenv/emulatorapply"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// suite starts the moto server for TestMain; tests reach it with suite.Need.
var suite = &mototest.Suite{Name: "emulatorapply tests"}

func TestMain(m *testing.M) {
	os.Exit(suite.Run(m))
}

const (
	region = "us-west-2" // Pulumi.dev.yaml's aws:region
	// accountLead starts each test's account ID (mototest.AccountFor),
	// apart from moto's 123456789012.
	accountLead = 9
)

// deployed is the dev stack's plan applied to a fresh emulator account.
type deployed struct {
	session *mototest.Session
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
	account := mototest.AccountFor(t, accountLead)
	s, err := mototest.AssumeRole(ctx, moto.URL, region, "arn:aws:iam::"+account+":role/LabDeployer", "apply-test")
	require.NoError(t, err)
	opts := plan.Options{AccountID: account, Region: region, Partition: "aws", CallerARN: s.CallerARN}
	p, err := plan.RenderFile("", filepath.Join(mototest.ProjectDir(t), "Pulumi.dev.yaml"), opts)
	require.NoError(t, err)
	applied, err := emulatorapply.Apply(ctx, p, emulatorapply.Target{Config: s.Config, Options: opts, ProjectDir: mototest.ProjectDir(t)})
	require.NoError(t, err)
	return deployed{session: s, plan: p, opts: opts, applied: applied}
}
