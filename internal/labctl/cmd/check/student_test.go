package check

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	labcheck "github.com/kms-lab/kms-lab/internal/labctl/check"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

// TestResolveStudent: the default student is the caller only when it is an
// IAM user or role, the principals a key policy's key users can be (AWS
// KMS Developer Guide, "Default key policy": key users are IAM users and
// roles). Anything else asks for --student, with exit code 2: the domain
// package returns a typed error, and this command words it as the flag.
func TestResolveStudent(t *testing.T) {
	tests := []struct {
		name, flag, caller string
		want               string
		err                []string
	}{
		{"IAM user", "", "arn:aws:iam::111122223333:user/AWSLabsUser-abc", "arn:aws:iam::111122223333:user/AWSLabsUser-abc", nil},
		{"assumed role counts as its role", "", "arn:aws:sts::111122223333:assumed-role/AWSLabsUser-abc/s", "arn:aws:iam::111122223333:role/AWSLabsUser-abc", nil},
		{"--student wins", "arn:aws:iam::111122223333:user/AWSLabsUser-abc", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/AWSLabsUser-abc", nil},
		{"root user", "", "arn:aws:iam::111122223333:root", "",
			[]string{"--student is required: the caller arn:aws:iam::111122223333:root is the account's root user, not an IAM user or role", "arn:aws:iam::111122223333:user/AWSLabsUser-NAME"}},
		{"federated user", "", "arn:aws:sts::111122223333:federated-user/someone", "",
			[]string{"is a federated user, not an IAM user or role", "pass --student"}},
		{"an emulator's made-up caller", "", "arn:aws:sts::123456789012:user/moto", "",
			[]string{"the caller arn:aws:sts::123456789012:user/moto is not an IAM user or role"}},
		{"China partition", "", "arn:aws-cn:iam::111122223333:root", "", []string{"(arn:aws-cn:iam::111122223333:user/AWSLabsUser-NAME)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			account := "111122223333"
			if tt.caller == "arn:aws:sts::123456789012:user/moto" {
				account = "123456789012"
			}
			got, err := labcheck.ResolveStudent(tt.flag, tt.caller, account)
			err = studentFlagError(err)
			if tt.err == nil {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				return
			}
			require.Error(t, err)
			var fe *cmdutil.FlagError
			assert.True(t, errors.As(err, &fe), "a flag error: %T", err)
			code, printed := cmdutil.ExitCode(err)
			assert.Equal(t, cmdutil.ExitError, code)
			assert.True(t, printed)
			for _, s := range tt.err {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}
