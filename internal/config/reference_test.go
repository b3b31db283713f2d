package config_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/config"
)

// TestReferenceIsGenerated fails when docs/configuration.md and the settings
// disagree: run `go generate ./internal/config` and commit the result.
func TestReferenceIsGenerated(t *testing.T) {
	committed, err := os.ReadFile(filepath.Join(projectDir, config.ReferencePath))
	require.NoError(t, err)
	var want bytes.Buffer
	require.NoError(t, config.WriteReference(&want))
	assert.Equal(t, want.String(), string(committed), "docs/configuration.md is stale: run go generate ./internal/config")
}

// TestReferenceListsEverySetting: each key appears as a table row with its
// type and default, as Pulumi.yaml declares them.
func TestReferenceListsEverySetting(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, config.WriteReference(&b))
	for _, row := range []string{
		"| `keyAlias` | string | `myFirstKey` |",
		"| `keyAdministrators` | list of strings | `[\"deployer\"]` |",
		"| `keyDeletionWindowDays` | integer | `7` |",
		"| `bucketName` | string | `\"\"` |",
		"| `tags` | map of strings | `{}` |",
		"`aws:region`",
	} {
		assert.Contains(t, b.String(), row)
	}
}
