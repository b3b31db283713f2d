package tests

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// TestReleaseArchivesCarryTheLicense: every release archive holds LICENSE,
// since the Apache License 2.0 (section 4(a)) requires a copy of it to go
// with every copy of the work, binaries included; and every file an archive
// lists exists, or GoReleaser would fail the release.
func TestReleaseArchivesCarryTheLicense(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(clsRoot, ".goreleaser.yaml"))
	require.NoError(t, err)
	var cfg struct {
		Archives []struct {
			ID    string   `yaml:"id"`
			Files []string `yaml:"files"`
		} `yaml:"archives"`
	}
	require.NoError(t, yaml.Unmarshal(b, &cfg))
	require.NotEmpty(t, cfg.Archives)
	for _, a := range cfg.Archives {
		assert.True(t, slices.Contains(a.Files, "LICENSE"), "archive %s lists %v", a.ID, a.Files)
		for _, f := range a.Files {
			_, err := os.Stat(filepath.Join(clsRoot, f))
			assert.NoError(t, err, "archive %s lists %s", a.ID, f)
		}
	}
}
