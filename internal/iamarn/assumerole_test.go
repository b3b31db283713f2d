package iamarn

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The rules of aws:assumeRole that labctl and the class files share. A
// role ARN is arn:<partition>:iam::<account>:role/<path/><name> (IAM User
// Guide, "IAM identifiers"); pulumi-aws's assumeRole takes roleArn,
// sessionName and externalId among its keys (pulumi-aws, Provider
// configuration, assumeRole).
func TestParseAssumeRole(t *testing.T) {
	const role = "arn:aws:iam::111122223333:role/kms-lab-deployer"
	tests := []struct {
		name    string
		fields  []Field
		allowed []string
		want    *AssumeRole
		rules   []string // each problem, as RoleProblem.String
	}{
		{"role, session and external ID", []Field{{"roleArn", role}, {"sessionName", "kms-lab-acct01"}, {"externalId", "class-c1"}}, []string{"111122223333"},
			&AssumeRole{RoleARN: role, SessionName: "kms-lab-acct01", ExternalID: "class-c1"}, nil},
		{"a role with a path", []Field{{"roleArn", "arn:aws:iam::111122223333:role/labs/deployer"}}, nil,
			&AssumeRole{RoleARN: "arn:aws:iam::111122223333:role/labs/deployer"}, nil},
		{"another key of the provider's is left to it", []Field{{"roleArn", role}, {"durationSeconds", "900"}}, nil, &AssumeRole{RoleARN: role}, nil},
		{"no allowed account known: any account", []Field{{"roleArn", "arn:aws:iam::444455556666:role/r"}}, nil,
			&AssumeRole{RoleARN: "arn:aws:iam::444455556666:role/r"}, nil},
		{"one of several allowed accounts", []Field{{"roleArn", "arn:aws:iam::444455556666:role/r"}}, []string{"111122223333", "444455556666"},
			&AssumeRole{RoleARN: "arn:aws:iam::444455556666:role/r"}, nil},
		{"a role outside the allowed account", []Field{{"roleArn", "arn:aws:iam::444455556666:role/r"}}, []string{"111122223333"}, nil,
			[]string{`aws:assumeRole.roleArn = "arn:aws:iam::444455556666:role/r": must be a role in the allowed account 111122223333`}},
		{"a user is not a role", []Field{{"roleArn", "arn:aws:iam::111122223333:user/u"}}, nil, nil,
			[]string{`aws:assumeRole.roleArn = "arn:aws:iam::111122223333:user/u": must be an IAM role ARN; this one names an IAM user`}},
		{"the account root is not a role", []Field{{"roleArn", "arn:aws:iam::111122223333:root"}}, nil, nil,
			[]string{`aws:assumeRole.roleArn = "arn:aws:iam::111122223333:root": must be an IAM role ARN; this one names an account root`}},
		{"a session ARN is not a role", []Field{{"roleArn", "arn:aws:sts::111122223333:assumed-role/r/s"}}, nil, nil,
			[]string{`aws:assumeRole.roleArn = "arn:aws:sts::111122223333:assumed-role/r/s": must be an IAM role ARN; this one is a sts ARN, not an IAM one`}},
		{"a role name", []Field{{"roleArn", "kms-lab-deployer"}}, nil, nil,
			[]string{`aws:assumeRole.roleArn = "kms-lab-deployer": must be an IAM role ARN; this one is not an ARN`}},
		{"no roleArn", []Field{{"sessionName", "s"}}, nil, nil,
			[]string{`aws:assumeRole.roleArn = "": must be an IAM role ARN; this one is not an ARN`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problems := ParseAssumeRole(tt.fields, tt.allowed)
			var rules []string
			for _, p := range problems {
				rules = append(rules, p.String())
			}
			assert.Equal(t, tt.rules, rules)
			if tt.want != nil {
				assert.Equal(t, tt.want, got)
			}
		})
	}
}
