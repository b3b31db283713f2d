package labctl

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

const overview = `labctl checks a deployed "Introduction to AWS KMS" lab and finds the lab key's
activity in the trail's CloudTrail log files.

usage:
  pulumi stack output --json | labctl verify - [--json]
  labctl verify --outputs FILE [--json]
  labctl events --outputs FILE [--since TIME] [--until TIME] [--key ID|ARN|alias]
                [--object KEY] [--event NAME[,NAME]] [--format table|json] [--wait]
  labctl help [verify|events]

AWS access uses the standard credential chain (environment, shared config and
credentials files, SSO, instance roles); --profile picks a profile, --region
defaults to the stack's region, --endpoint-url points at an emulator.

exit codes: 0 ok; 1 verify found a failing check; 2 usage, outputs or AWS
error; 3 events printed its results but skipped unreadable log files.
`

var commandHelp = map[string]string{
	"verify": `labctl verify [-|--outputs FILE] [--json]

Checks the live account against the stack outputs and prints one line per
check (ok, FAIL or warn, with what was observed): the key (state, spec,
rotation, alias, key policy administrators and users), the bucket (ownership,
public access block, default encryption, CloudTrail policy), the trail
(logging, multi-region, log file validation, event and insight selectors)
and the image (SSE-KMS with the key, ACL, and that an anonymous GET is
refused). --json prints {"checks": [{"name", "status", "expected", "observed"}]}.
Exit code 1 if any check fails.`,
	"events": `labctl events [-|--outputs FILE] [flags]

Lists the lab key's and image's activity from the trail's log files, oldest
first. Only the date folders the window needs are listed; files are
downloaded concurrently and decoded as streams. With neither --key nor
--object, records that reference the stack's key or image match.

TIME is RFC 3339 (2026-11-26T17:50:00Z), a UTC date (2026-11-26), "now", or an
age (90m, 2h, 3d). Log files of the stack's region are read; --region-folder
names other region folders (multi-region trails log each region separately)
and --all-regions reads every region folder.

A corrupt, truncated or non-CloudTrail file is reported on stderr with its key
and skipped; the rest still print and the exit code is 3.`,
}

func (a *App) usage(w io.Writer) {
	fmt.Fprint(w, overview)
}

// help prints the overview or one command's help, with its flags.
func (a *App) help(args []string) int {
	if len(args) == 0 {
		a.usage(a.Stdout)
		return ExitOK
	}
	var fs *flag.FlagSet
	switch args[0] {
	case "verify":
		fs = newVerifyFlags(&verifyFlags{})
	case "events":
		fs = newEventsFlags(&eventsFlags{})
	default:
		fmt.Fprintf(a.Stderr, "labctl: no help for %q: the commands are verify and events\n", args[0])
		return ExitError
	}
	printCommandHelp(a.Stdout, fs)
	return ExitOK
}

func printCommandHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: %s\n\nflags:\n", strings.TrimSpace(commandHelp[fs.Name()]))
	// Like flag.PrintDefaults, but spelled with the "--" the rest of the
	// help uses (both spellings are accepted).
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		line += "\n    \t" + strings.ReplaceAll(usage, "\n", "\n    \t")
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			line += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintln(w, line)
	})
}
