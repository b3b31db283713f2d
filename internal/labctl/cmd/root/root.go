// Package root is the labctl command itself: the tree of its commands and
// what they share (help, completion, flag errors).
package root

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	checkCmd "github.com/kms-lab/kms-lab/internal/labctl/cmd/check"
	classCmd "github.com/kms-lab/kms-lab/internal/labctl/cmd/class"
	cleanCmd "github.com/kms-lab/kms-lab/internal/labctl/cmd/clean"
	eventsCmd "github.com/kms-lab/kms-lab/internal/labctl/cmd/events"
	preflightCmd "github.com/kms-lab/kms-lab/internal/labctl/cmd/preflight"
	snapshotCmd "github.com/kms-lab/kms-lab/internal/labctl/cmd/snapshot"
	verifyCmd "github.com/kms-lab/kms-lab/internal/labctl/cmd/verify"
	versionCmd "github.com/kms-lab/kms-lab/internal/labctl/cmd/version"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

// NewCmdRoot builds labctl's command tree for one run: cobra commands hold
// their parsed flags, so a tree is never shared between runs.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "labctl <command>",
		Short: "Check a kms-lab account, a deployed lab, a lab done by hand or a whole class",
		Long: `labctl checks an "Introduction to AWS KMS" lab account before the first deploy,
checks a deployed lab, grades a lab done by hand, shows a whole class (once, or live on a page
that redraws itself), finds the lab key's activity in the trail's CloudTrail log files, and
removes labs done by hand (a dry run unless --yes).

AWS access uses the standard credential chain (environment, shared config and
credentials files, SSO, instance roles); --profile picks a profile, --region
defaults to the stack's region, --endpoint-url points at an emulator.

exit codes: 0 ok; 1 verify found a failing check, check a failing task, class
status a failing account, clean left something; 2 usage, outputs or AWS error,
or a read AWS throttled or refused (class status: an account could not be
reached or read); 3 events printed its results but skipped unreadable log files.`,
		Example: `  pulumi stack output --json | labctl verify - [--json]
  labctl verify --outputs FILE [--json]
  labctl events --outputs FILE [--since TIME] [--until TIME] [--key ID|ARN|alias]
                [--object KEY] [--event NAME[,NAME]] [--format table|json] [--wait]
  labctl check [--student ARN] [--alias myFirstKey] [--trail myTrail]
               [--bucket-prefix mycloudtrailbucket] [--since TIME] [--json] [--snapshot FILE]
  labctl snapshot [check's flags | -|--outputs FILE] [--out FILE]
  labctl class status classes/<class>.yaml [--mode deployed|by-hand] [--parallel N]
               [--format table|json|markdown|html] [--out FILE] [--outputs-dir DIR]
  labctl class watch classes/<class>.yaml [--listen 127.0.0.1:8080] [--every 60s]
  labctl clean --region REGION [--yes] [--json]
  labctl class clean classes/<class>.yaml [--yes] [--parallel N]
  labctl preflight --config Pulumi.<stack>.yaml [--project-dir DIR] [--json]
  labctl version
  labctl help [verify|events|check|snapshot|class|clean|preflight|version]
  labctl completion bash|zsh|fish|powershell`,
		// Bare labctl: the overview is the usage error, on stderr, so that
		// nothing lands on stdout; the exit code is 2 and there is no
		// further message.
		Args: cmdutil.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			c.SetOut(f.IOStreams.ErrOut)
			_ = c.Help()
			return cmdutil.Finish(cmdutil.Errored, nil)
		},
		// Main prints errors, as one line, and never the usage after one.
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(f.IOStreams.In)
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetFlagErrorFunc(cmdutil.FlagErrorFunc)

	root.AddCommand(verifyCmd.NewCmdVerify(f, nil))
	root.AddCommand(eventsCmd.NewCmdEvents(f, nil))
	root.AddCommand(checkCmd.NewCmdCheck(f, nil))
	root.AddCommand(snapshotCmd.NewCmdSnapshot(f, nil))
	root.AddCommand(classCmd.NewCmdClass(f))
	root.AddCommand(cleanCmd.NewCmdClean(f, nil))
	root.AddCommand(preflightCmd.NewCmdPreflight(f, nil))
	root.AddCommand(versionCmd.NewCmdVersion(f, nil))

	// Added now rather than at Execute, so that they can be adjusted, and
	// the help flags so that `labctl --help verify` and `labctl -h class
	// status` find the command (cobra would take it for the flag's value).
	initHelpFlags(root)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	cmdutil.CheckFlagsOf(root)
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			// cobra's help prints "Unknown help topic" and succeeds;
			// asking for help on nothing is a usage error.
			c.Args = helpTopicArgs
		case "completion":
			cmdutil.RequireSubcommand(c)
		}
	}
	return root
}

func initHelpFlags(cmd *cobra.Command) {
	cmd.InitDefaultHelpFlag()
	for _, c := range cmd.Commands() {
		initHelpFlags(c)
	}
}

// helpTopicArgs refuses `labctl help` for a command that does not exist.
func helpTopicArgs(c *cobra.Command, args []string) error {
	cmd, rest, err := c.Root().Find(args)
	if err == nil && len(rest) > 0 {
		err = fmt.Errorf("unknown command %q for %q", rest[0], cmd.CommandPath())
	}
	if err != nil {
		return cmdutil.FlagErrorf("no help for %q: %w", strings.Join(args, " "), err)
	}
	return nil
}
