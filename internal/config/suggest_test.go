package config_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/config"
)

func TestSuggest(t *testing.T) {
	settings := []string{}
	for _, s := range config.Settings() {
		settings = append(settings, s.Key)
	}
	tests := []struct {
		word       string
		candidates []string
		want       string
	}{
		{"keyAlais", settings, "keyAlias"},      // two letters swapped
		{"keyalias", settings, "keyAlias"},      // case
		{"keyRotaton", settings, "keyRotation"}, // a letter dropped
		{"keyUserss", settings, "keyUsers"},     // a letter doubled
		{"publicObjectACL", settings, "publicObjectAcl"},
		{"classCode", settings, ""}, // nothing near
		{"regoin", config.ProviderKeys(), "region"},
		{"Profile", config.ProviderKeys(), "profile"},
		{"allowedAccountId", config.ProviderKeys(), "allowedAccountIds"},
		{"account_id", config.ProviderKeys(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.word, func(t *testing.T) {
			assert.Equal(t, tt.want, config.Suggest(tt.word, tt.candidates))
		})
	}
}

// TestUnknownPartitionLeavesThePartitionRule: a stack checked before its
// Region is known keeps every principal rule but the partition's.
func TestUnknownPartitionLeavesThePartitionRule(t *testing.T) {
	target := config.Target{Deployer: labUser}
	cfg, err := config.Load(lookup(map[string]string{"kms-lab:keyUsers": `["arn:aws-cn:iam::111122223333:user/a"]`}), projectDir, target)
	if assert.NoError(t, err) {
		assert.Equal(t, []string{"arn:aws-cn:iam::111122223333:user/a"}, cfg.KeyUsers)
	}
	_, err = config.Load(lookup(map[string]string{"kms-lab:keyUsers": `["arn:aws:sts::111122223333:assumed-role/Admin/alice"]`}), projectDir, target)
	assert.EqualError(t, err, `invalid kms-lab configuration (1 problem):
  - kms-lab:keyUsers = "arn:aws:sts::111122223333:assumed-role/Admin/alice": is an assumed-role session ARN, which is not a valid key-policy principal; use the role ARN arn:aws:iam::111122223333:role/Admin`)
}
