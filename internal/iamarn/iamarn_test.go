package iamarn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Shapes from the IAM User Guide, "IAM identifiers" (IAM ARNs): users and
// roles with and without paths, the account root, and what is not one.
func TestParse(t *testing.T) {
	ok := []struct {
		in   string
		want Principal
	}{
		{"arn:aws:iam::123456789012:user/JohnDoe", Principal{"aws", "123456789012", User, "/", "JohnDoe"}},
		{"arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/JaneDoe",
			Principal{"aws", "123456789012", User, "/division_abc/subdivision_xyz/", "JaneDoe"}},
		{"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123",
			Principal{"aws", "123456789012", Role, "/aws-reserved/sso.amazonaws.com/", "AWSReservedSSO_Admin_0123"}},
		{"arn:aws-cn:iam::123456789012:root", Principal{"aws-cn", "123456789012", Root, "", ""}},
	}
	for _, tt := range ok {
		got, err := Parse(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
	bad := map[string]string{
		"AWSLabsUser-1": "is not an ARN",
		"arn:aws:sts::123456789012:assumed-role/R/s": "is a sts ARN, not an IAM one",
		"arn:aws:iam:::user/Bob":                     "12-digit account and no region",
		"arn:aws:iam::123456789012:group/Students":   "names an IAM group",
		"arn:aws:iam::123456789012:user/Bob Smith":   "invalid user name",
	}
	for in, want := range bad {
		_, err := Parse(in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), want, in)
	}
	assert.True(t, IsUserOrRole("arn:aws:iam::123456789012:role/R"))
	assert.False(t, IsUserOrRole("arn:aws:iam::123456789012:root"))
}
