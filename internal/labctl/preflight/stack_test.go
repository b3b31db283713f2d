package preflight

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
)

// How preflight reaches the account: as `pulumi up` would, with the
// stack's aws:profile unless --profile is given, and its aws:assumeRole
// (pulumi-aws provider configuration), read with the class files' rules
// (iamarn.ParseAssumeRole): a role in the allowed account. Values are as
// the stack config hands them over: maps and lists as JSON text.
func TestAWSOptions(t *testing.T) {
	const role = `{"roleArn":"arn:aws:iam::111122223333:role/kms-lab-deployer","sessionName":"kms-lab-acct01"}`
	tests := []struct {
		name    string
		flags   awsclient.Options
		values  map[string]string
		want    awsclient.Options
		wantErr string
	}{
		{"the stack's profile", awsclient.Options{}, map[string]string{"aws:profile": "lab"}, awsclient.Options{Profile: "lab"}, ""},
		{"--profile wins", awsclient.Options{Profile: "mine"}, map[string]string{"aws:profile": "lab"}, awsclient.Options{Profile: "mine"}, ""},
		{"the stack's role", awsclient.Options{}, map[string]string{"aws:allowedAccountIds": `["111122223333"]`, "aws:assumeRole": role},
			awsclient.Options{AssumeRole: &awsclient.AssumeRole{RoleARN: "arn:aws:iam::111122223333:role/kms-lab-deployer", SessionName: "kms-lab-acct01"}}, ""},
		{"a role outside the allowed account", awsclient.Options{}, map[string]string{"aws:allowedAccountIds": `["444455556666"]`, "aws:assumeRole": role}, awsclient.Options{},
			`aws:assumeRole.roleArn = "arn:aws:iam::111122223333:role/kms-lab-deployer": must be a role in the allowed account 444455556666`},
		{"a role given as a string", awsclient.Options{}, map[string]string{"aws:assumeRole": "arn:aws:iam::111122223333:role/r"}, awsclient.Options{},
			"aws:assumeRole = arn:aws:iam::111122223333:role/r: must be a map with roleArn and optionally sessionName and externalId"},
		{"a user as the role", awsclient.Options{}, map[string]string{"aws:assumeRole": `{"roleArn":"arn:aws:iam::111122223333:user/u"}`}, awsclient.Options{},
			`aws:assumeRole.roleArn = "arn:aws:iam::111122223333:user/u": must be an IAM role ARN; this one names an IAM user`},
		{"a secret in it", awsclient.Options{}, map[string]string{"aws:assumeRole": "[secret]"}, awsclient.Options{},
			"aws:assumeRole holds a secret"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AWSOptions(tt.flags, &stackconfig.Config{Stack: "acct01", Values: tt.values})
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
