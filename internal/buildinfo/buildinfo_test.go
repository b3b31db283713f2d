package buildinfo

import (
	"runtime/debug"
	"testing"
)

// The setting keys are the ones the go command records (runtime/debug,
// BuildSetting: "vcs.revision", "vcs.time", "vcs.modified").
func TestResolve(t *testing.T) {
	checkout := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/kms-lab/kms-lab", Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-11-30T10:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	tests := []struct {
		name                  string
		version, commit, date string
		bi                    *debug.BuildInfo
		want                  string
	}{
		{"release stamped by the linker", "1.2.0", "fedcba9876543210fedcba9876543210fedcba98", "2026-12-01T09:00:00Z", checkout,
			"labplan 1.2.0 (commit fedcba9876543210fedcba9876543210fedcba98, 2026-12-01T09:00:00Z)"},
		{"go build in a checkout with local changes", "", "", "", checkout,
			"labplan (devel) (commit 0123456789abcdef0123456789abcdef01234567, with local changes, 2026-11-30T10:00:00Z)"},
		{"go install of a tagged module, no vcs settings", "", "", "",
			&debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}},
			"labplan v1.2.0 (commit unknown)"},
		{"nothing recorded", "", "", "", nil, "labplan (devel) (commit unknown)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := resolve(tc.version, tc.commit, tc.date, tc.bi).Line("labplan")
			if got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
