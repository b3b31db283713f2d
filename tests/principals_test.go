package tests

// How the program resolves the deploying principal: it asks IAM only when a
// principal list names "deployer" (iam.getSessionContext calls iam:GetRole
// for an assumed role), and the account root is a valid key-policy
// principal (AWS KMS Developer Guide, "Key policies in AWS KMS" >
// "Specifying principals"). The config package's own principal rules are
// tested beside it, in internal/config.

import (
	"testing"

	"github.com/kms-lab/kms-lab/internal/awsmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// iam.getSessionContext makes the provider call iam:GetRole for an
// assumed-role caller; a class stack that lists its principals must deploy
// without that permission, so the program must not make the call.
func TestProgramLooksUpTheDeployerOnlyWhenNamed(t *testing.T) {
	const sessionContext = "aws:iam/getSessionContext:getSessionContext"
	env := defaultEnv()
	env.CallerARN = "arn:aws:sts::111122223333:assumed-role/kms-lab-deployer/kms101-acct01"

	explicit := mustRun(t, map[string]string{
		"kms-lab:keyAdministrators": `["arn:aws:iam::111122223333:user/AWSLabsUser"]`,
		"kms-lab:keyUsers":          `["arn:aws:iam::111122223333:user/AWSLabsUser"]`,
	}, env)
	assert.NotContains(t, explicit.calls, sessionContext)
	assert.Contains(t, explicit.calls, "aws:index/getCallerIdentity:getCallerIdentity", "the account still comes from STS")

	byDefault := mustRun(t, nil, env)
	assert.Contains(t, byDefault.calls, sessionContext)
	assert.Equal(t, []any{"arn:aws:iam::111122223333:role/kms-lab-deployer"}, byDefault.outputs["keyUsers"])
}

// Deployed by the account root (the root user's caller ARN is the account
// ARN): the key policy names the root as administrator and user, which KMS
// accepts (an account is a valid principal), and no session ARN appears.
func TestProgramDeployedByTheAccountRoot(t *testing.T) {
	env := defaultEnv()
	env.CallerARN = "arn:aws:iam::111122223333:root"
	r := mustRun(t, nil, env)
	doc := policyDoc(t, r.one(t, keyType))
	for _, sid := range []string{"Enable IAM User Permissions", "Allow access for Key Administrators", "Allow use of the key", "Allow attachment of persistent resources"} {
		assert.Equal(t, []string{"arn:aws:iam::111122223333:root"}, awsPrincipals(statement(doc, sid)), sid)
	}
	assert.Equal(t, []any{"arn:aws:iam::111122223333:root"}, r.outputs["keyAdministrators"])
}

func TestProgramRefusesAFederatedDeployer(t *testing.T) {
	env := awsmock.Env{AccountID: "111122223333", Region: "us-west-2", Partition: "aws",
		CallerARN: "arn:aws:sts::111122223333:federated-user/Bob"}
	r := runLab(t, nil, env)
	require.Error(t, r.err)
	assert.Contains(t, r.err.Error(), `kms-lab:keyUsers = "deployer": stands for the deploying principal arn:aws:sts::111122223333:federated-user/Bob`)
	assert.Empty(t, r.regs, "nothing is registered")
}
