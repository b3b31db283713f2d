package config_test

// Which principals a key policy may name, and when the program asks IAM who
// the deployer is. Expected values come from AWS's documentation:
//   - AWS KMS Developer Guide, "Key policies in AWS KMS" > "Specifying
//     principals": an AWS account (its root ARN), IAM users and IAM roles;
//     not IAM groups; a wildcard "*" gives every principal access.
//   - IAM User Guide, "IAM identifiers" (ARN shapes of users, roles,
//     sessions and federated users) and "AWS JSON policy elements:
//     Principal" (assumed-role session principals and federated-user
//     sessions end with their session; bare account IDs are shorthand for
//     the root ARN).

import (
	"testing"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigPrincipalsKMSAccepts(t *testing.T) {
	for _, p := range []string{
		"arn:aws:iam::111122223333:root",
		"arn:aws:iam::111122223333:user/AWSLabsUser-x7",
		"arn:aws:iam::111122223333:user/division_abc/subdivision_xyz/Bob",
		"arn:aws:iam::111122223333:role/LabDeployer",
		"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123",
		"arn:aws:iam::444455556666:role/CrossAccountGrader", // another account: KMS allows it
	} {
		t.Run(p, func(t *testing.T) {
			cfg, err := config.Load(lookup(map[string]string{
				"kms-lab:keyUsers": `["` + p + `"]`, "kms-lab:keyAdministrators": `["` + p + `"]`,
			}), projectDir, config.Target{Partition: "aws"})
			require.NoError(t, err)
			assert.Equal(t, []string{p}, cfg.KeyUsers)
			assert.Equal(t, []string{p}, cfg.KeyAdministrators)
		})
	}
}

func TestConfigPrincipalsKMSRefuses(t *testing.T) {
	tests := []struct {
		name, value, want string
	}{
		{"assumed-role session", "arn:aws:sts::111122223333:assumed-role/LabDeployer/ci-run-42",
			`is an assumed-role session ARN, which is not a valid key-policy principal; use the role ARN arn:aws:iam::111122223333:role/LabDeployer`},
		{"federated user", "arn:aws:sts::111122223333:federated-user/Bob",
			`is a federated user session, which ends when its token expires; name the IAM user that called GetFederationToken, or a role, like arn:aws:iam::111122223333:user/NAME`},
		{"wildcard", "*",
			`is a wildcard, which would let every AWS principal use or manage the key`},
		{"wildcard in an ARN", "arn:aws:iam::111122223333:user/AWSLabsUser-*",
			`contains a wildcard; KMS key policies name principals exactly`},
		{"service principal", "cloudtrail.amazonaws.com",
			`is an AWS service principal; services use the key on a key user's behalf through grants`},
		{"IAM group", "arn:aws:iam::111122223333:group/Students",
			`is an IAM group, which a key policy cannot name (KMS accepts users and roles, not groups)`},
		{"bare account ID", "111122223333",
			`is a bare account ID; write the account root ARN arn:aws:iam::111122223333:root instead`},
		{"other service", "arn:aws:s3:::mycloudtrailbucket",
			`must be an IAM user, role or account root ARN, like arn:aws:iam::111122223333:user/NAME`},
		{"IAM ARN without an account", "arn:aws:iam:::user/Bob",
			`has account "" and region ""; IAM ARNs have a 12-digit account and no region`},
		{"user name with a space", "arn:aws:iam::111122223333:user/Bob Smith",
			`has an invalid user name: IAM names are 1-64 letters, digits and + = , . @ _ -`},
		{"other partition", "arn:aws-cn:iam::111122223333:user/Bob",
			`is not in partition aws, the partition this stack deploys to`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Load(lookup(map[string]string{"kms-lab:keyUsers": `["` + tt.value + `"]`}), projectDir,
				config.Target{Partition: "aws", Deployer: labUser})
			require.Error(t, err)
			assert.Contains(t, err.Error(), `kms-lab:keyUsers = "`+tt.value+`": `+tt.want)
		})
	}
}

// A deployer that cannot be a key-policy principal is reported on the
// setting that names it, with the principal it stands for.
func TestConfigDeployerThatKMSRefuses(t *testing.T) {
	_, err := config.Load(lookup(nil), projectDir,
		config.Target{Partition: "aws", Deployer: "arn:aws:sts::111122223333:federated-user/Bob"})
	require.Error(t, err)
	for _, key := range []string{"keyAdministrators", "keyUsers"} {
		assert.Contains(t, err.Error(), `kms-lab:`+key+` = "deployer": stands for the deploying principal arn:aws:sts::111122223333:federated-user/Bob, which is a federated user session`)
	}
	assert.Contains(t, err.Error(), "(2 problems)")
}

func TestConfigUsesDeployer(t *testing.T) {
	tests := []struct {
		name   string
		values map[string]string
		want   bool
	}{
		{"defaults name the deployer", nil, true},
		{"only administrators name it", map[string]string{"kms-lab:keyUsers": `["arn:aws:iam::111122223333:user/a"]`}, true},
		{"only users name it", map[string]string{"kms-lab:keyAdministrators": `[]`, "kms-lab:keyUsers": `["deployer"]`}, true},
		{"explicit principals", map[string]string{
			"kms-lab:keyAdministrators": `["arn:aws:iam::111122223333:role/Teacher"]`,
			"kms-lab:keyUsers":          `["arn:aws:iam::111122223333:user/AWSLabsUser"]`,
		}, false},
		{"empty lists", map[string]string{"kms-lab:keyAdministrators": `[]`, "kms-lab:keyUsers": `[]`}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, config.UsesDeployer(lookup(tt.values)))
		})
	}
}
