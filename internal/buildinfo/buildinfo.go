package buildinfo

import (
	"fmt"
	"runtime/debug"
)

// Info identifies a build.
type Info struct {
	Version string // a release's tag without the v, "(devel)" or a pseudo-version
	Commit  string // the full commit hash, "unknown" when nothing recorded it
	Date    string // the commit or build time, RFC 3339; "" when unknown
	// Modified is true when the binary was built from a tree with local
	// changes (vcs.modified); a release is never modified.
	Modified bool
}

// unknown is what a field says when neither the linker nor the toolchain
// recorded it.
const unknown = "unknown"

// Resolve combines the values a release's -ldflags -X set (any may be empty)
// with what the toolchain recorded in the binary. The linker's values win:
// they are what GoReleaser stamped for the tag.
func Resolve(version, commit, date string) Info {
	bi, _ := debug.ReadBuildInfo() // nil outside a module build: only the stamped values
	return resolve(version, commit, date, bi)
}

func resolve(version, commit, date string, bi *debug.BuildInfo) Info {
	info := Info{Version: version, Commit: commit, Date: date}
	if bi != nil {
		if info.Version == "" && bi.Main.Version != "" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Commit == "" {
					info.Commit = s.Value
				}
			case "vcs.time":
				if info.Date == "" {
					info.Date = s.Value
				}
			case "vcs.modified":
				// A stamped release names its commit; only a checkout build
				// can carry local changes.
				info.Modified = commit == "" && s.Value == "true"
			}
		}
	}
	if info.Version == "" {
		info.Version = "(devel)"
	}
	if info.Commit == "" {
		info.Commit = unknown
	}
	return info
}

// Line is the one line `<name> version` prints, for example
// "labplan 1.2.0 (commit 0123abc..., 2026-12-01T10:00:00Z)".
func (i Info) Line(name string) string {
	s := fmt.Sprintf("%s %s (commit %s", name, i.Version, i.Commit)
	if i.Modified {
		s += ", with local changes"
	}
	if i.Date != "" {
		s += ", " + i.Date
	}
	return s + ")"
}
