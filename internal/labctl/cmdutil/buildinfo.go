package cmdutil

import "runtime/debug"

// ResolveBuildInfo fills what the linker left empty from bi, the Go
// toolchain's record (debug.ReadBuildInfo; nil when there is none): the
// module version, vcs.revision and vcs.time. The linker's values win: they
// are what the release stamped. Without either, the version is "dev".
func ResolveBuildInfo(version, commit, date string, bi *debug.BuildInfo) BuildInfo {
	info := BuildInfo{Version: version, Commit: commit, Date: date}
	if bi != nil {
		if info.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			info.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch {
			case s.Key == "vcs.revision" && info.Commit == "":
				info.Commit = s.Value
			case s.Key == "vcs.time" && info.Date == "":
				info.Date = s.Value
			}
		}
	}
	if info.Version == "" {
		info.Version = "dev"
	}
	if info.Commit == "" {
		info.Commit = "unknown"
	}
	return info
}
