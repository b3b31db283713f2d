package labctl

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

const overview = `labctl checks an "Introduction to AWS KMS" lab account before the first deploy,
checks a deployed lab, grades a lab done by hand, shows a whole class, and finds the lab key's
activity in the trail's CloudTrail log files.

AWS access uses the standard credential chain (environment, shared config and
credentials files, SSO, instance roles); --profile picks a profile, --region
defaults to the stack's region, --endpoint-url points at an emulator.

exit codes: 0 ok; 1 verify found a failing check, check a failing task, class
status a failing account; 2 usage, outputs or AWS error (class status: an
account could not be reached); 3 events printed its results but skipped
unreadable log files.`

const overviewExamples = `  pulumi stack output --json | labctl verify - [--json]
  labctl verify --outputs FILE [--json]
  labctl events --outputs FILE [--since TIME] [--until TIME] [--key ID|ARN|alias]
                [--object KEY] [--event NAME[,NAME]] [--format table|json] [--wait]
  labctl check [--student ARN] [--alias myFirstKey] [--trail myTrail]
               [--bucket-prefix mycloudtrailbucket] [--since TIME] [--json]
  labctl class status classes/<class>.yaml [--mode deployed|by-hand] [--parallel N]
               [--format table|json|markdown|html] [--out FILE] [--outputs-dir DIR]
  labctl preflight --config Pulumi.<stack>.yaml [--project-dir DIR] [--json]
  labctl help [verify|events|check|class|preflight]
  labctl completion bash|zsh|fish|powershell`

const preflightLong = `Run with the deployer's credentials before the first pulumi up. Reads the
stack's config as labplan does (the project's Pulumi.yaml from --project-dir,
the stack file's directory, or the current directory and its parents), uses
the stack's aws:profile and aws:assumeRole unless --profile is given, and
checks the account, one line per check (ok, FAIL or warn, what was seen, and
the fix): the account is the stack's aws:allowedAccountIds account and who
the deployer is; every key-policy principal exists; account-level S3 Block
Public Access lets the image's public-read ACL work; no alias, trail or
exact bucket name made by hand is in the way (with the pulumi import command
that adopts it, or the setting to change); the region has room for the trail
and whether another trail already logs management events (a billed second
copy); and, through iam:SimulatePrincipalPolicy, that the deployer may do
what the deployer policy lists.
--json prints {"checks": [{"name", "status", "detail"}]}. Exit code 0 when
nothing failed, 1 when a check failed, 2 on usage, config or AWS access
errors (the checks that ran are still printed).`

const verifyLong = `Checks the live account against the stack outputs and prints one line per
check (ok, FAIL or warn, with what was observed): the key (state, spec,
rotation, alias, key policy administrators and users), the bucket (ownership,
public access block, default encryption, CloudTrail policy), the trail
(logging, multi-region, log file validation, event and insight selectors)
and the image (SSE-KMS with the key, ACL, and that an anonymous GET is
refused). --json prints {"checks": [{"name", "status", "expected", "observed"}]}.
Exit code 1 if any check fails.`

const eventsLong = `Lists the lab key's and image's activity from the trail's log files, oldest
first. Only the date folders the window needs are listed; files are
downloaded concurrently and decoded as streams. With neither --key nor
--object, records that reference the stack's key or image match.

TIME is RFC 3339 (2026-11-26T17:50:00Z), a UTC date (2026-11-26), "now", or an
age (90m, 2h, 3d). Log files of the stack's region are read; --region-folder
names other region folders (multi-region trails log each region separately)
and --all-regions reads every region folder.

A corrupt, truncated or non-CloudTrail file is reported on stderr with its key
and skipped; the rest still print and the exit code is 3.`

const checkLong = `Grades the lab a student did by hand in the console, task by task, with no
stack outputs: it finds the key by its alias, the trail by its name, the
bucket through the trail and the image in the bucket, and checks what the
lab guide's six tasks ask for. Task 5 reads the trail's log files; task 6
follows the key policy's PutKeyPolicy calls in the log files and, where the
account allows cloudtrail:LookupEvents, in the event history.

Each task is pass, fail (with what was seen and a hint for the student) or
unknown (access denied, or log files not delivered yet: retry later).
--json prints {"tasks": [{"task", "title", "status", "checks": [{"name",
"status", "detail"}]}]}. Exit code 0 when every task passes, 1 when one
fails or waits for log delivery, 2 on usage errors or when access was
denied.`

const classLong = `Commands over every lab account of a class, as classes/<class>.yaml lists
them. The one subcommand is status; see ` + "`labctl help class status`" + `.`

const classStatusLong = `Checks every lab account of a class, a few at a time: --mode deployed runs
verify against each stack's outputs (from ` + "`pulumi stack output --json --stack S`" + `
or --outputs-dir DIR/<stack>.json), --mode by-hand runs check. Each account
is reached with the credentials its Pulumi.<stack>.yaml declares
(aws:assumeRole, aws:profile) in its aws:region; by-hand mode takes the
student from the stack's kms-lab:keyUsers. Progress goes to stderr; the
report has one row per account and a cell per check group or task, with the
failures' details. An account that cannot be reached is a row saying why.
Exit code 0 when every account passes, 1 when one fails, 2 on usage errors
or when an account could not be reached.`

// newHelpCmd replaces cobra's help command, which prints "Unknown help
// topic" and succeeds; labctl's contract is exit code 2 and one line.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  "Prints the help of labctl or of one of its commands, with its flags.",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []cobra.Completion
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					out = append(out, cobra.CompletionWithDesc(sub.Name(), sub.Short))
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			root := c.Root()
			cmd, rest := walkCommands(root, args)
			if len(rest) > 0 {
				// Name what could follow: cmd's subcommands, or the top level.
				listed := cmd
				if !cmd.HasAvailableSubCommands() {
					listed = root
				}
				return usageError(fmt.Sprintf("no help for %q: the commands are %s", strings.Join(args, " "), commandList(listed)))
			}
			cmd.InitDefaultHelpFlag() // so that its -h shows in the flags
			return cmd.Help()
		},
	}
}
