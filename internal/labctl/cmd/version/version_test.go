package version

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/awsstub"
)

func TestVersion(t *testing.T) {
	tests := []struct {
		name string
		info cmdutil.BuildInfo
		want string
	}{
		// A release: GoReleaser stamps main.version (the tag without v),
		// main.commit and main.date.
		{"release", cmdutil.BuildInfo{Version: "1.2.0", Commit: "0123abc4567890def", Date: "2026-12-01T10:00:00Z"},
			"labctl 1.2.0 (commit 0123abc4567890def, 2026-12-01T10:00:00Z)\n"},
		// go build in a checkout with edits: what the toolchain recorded.
		{"checkout", cmdutil.BuildInfo{Version: "(devel)", Commit: "0123abc4567890def", Date: "2026-11-30T02:00:00Z", Modified: true},
			"labctl (devel) (commit 0123abc4567890def, with local changes, 2026-11-30T02:00:00Z)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, io := awsstub.New(t).Factory("", time.Time{}, nil)
			f.BuildInfo = tt.info
			cmd := NewCmdVersion(f, nil)
			cmd.SetArgs([]string{})
			require.NoError(t, cmd.Execute())
			assert.Equal(t, tt.want, io.Out.String())
			assert.Empty(t, io.ErrOut.String())
		})
	}
}

func TestVersionTakesNoArguments(t *testing.T) {
	f, _ := awsstub.New(t).Factory("", time.Time{}, nil)
	called := false
	cmd := NewCmdVersion(f, func(*VersionOptions) error { called = true; return nil })
	cmd.SetArgs([]string{"--short"})
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.Execute()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unknown flag: --short")
	assert.False(t, called)
}
