package labctl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A fresh lab account is often deployed as its root user. The program then
// makes the account root the key administrator and key user (README,
// keyAdministrators: "IAM user, role or root ARNs"), and the KMS key policy
// reads the same either way: the root principal stands for the account (AWS
// KMS Developer Guide, "Default key policy": "Allows access to the AWS
// account and enables IAM policies"). verify must pass such a lab.
func TestVerifyPassesForALabDeployedByTheAccountRoot(t *testing.T) {
	moto := needMoto(t)
	l := newRootLab(t, moto)
	front := newAWSFront(t, moto.URL)
	root := "arn:aws:iam::" + l.account + ":root"
	require.Equal(t, []any{root}, l.outputs(t)["keyAdministrators"], "the plan's key administrators")
	require.Equal(t, []any{root}, l.outputs(t)["keyUsers"], "the plan's key users")

	res := runLabctl(t, awsEnv(t, l), "", "verify", "--outputs", writeOutputs(t, l.outputs(t)), "--endpoint-url", front.URL, "--json")

	require.Equal(t, 0, res.code, "stdout:\n%s\nstderr:\n%s", res.stdout, res.stderr)
	checks := parseJSONChecks(t, res.stdout)
	for _, name := range allChecks {
		assert.Equal(t, "pass", checks[name].Status, "%s: %+v", name, checks[name])
	}
}
