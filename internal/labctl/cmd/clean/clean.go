// Package clean is `labctl clean`: a lab done by hand removed from one
// account, by the lab guide's names, after a dry run.
package clean

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	labclean "github.com/kms-lab/kms-lab/internal/labctl/clean"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

// CleanOptions are clean's flags and what it takes from the Factory.
type CleanOptions struct {
	IO  *cmdutil.IOStreams
	AWS cmdutil.AWSConnector
	Now func() time.Time

	Conn  awsclient.Options
	Clean labclean.Options
	JSON  bool
}

// NewCmdClean builds `labctl clean`; runF, when set, runs instead of
// cleanRun.
func NewCmdClean(f *cmdutil.Factory, runF func(*CleanOptions) error) *cobra.Command {
	opts := &CleanOptions{IO: f.IOStreams, AWS: f.AWS, Now: f.Now, Clean: labclean.GuideOptions()}
	cmd := &cobra.Command{
		Use:   "clean [flags]",
		Short: "Remove a lab done by hand: trail, buckets, alias, key (dry run unless --yes)",
		Long: `Removes the lab a student did by hand in the console, found by the lab
guide's names as labctl check finds it: the trail (deleted in its home
region), every bucket whose name starts with --bucket-prefix (a retried
task 2 leaves two), the alias, and the key it points to.

Without --yes it is a dry run: it removes nothing and prints one line per
resource, with what the trail logs and costs a day, each bucket's object
versions and size, and when the key's deletion would take effect. With
--yes it deletes the trail, empties each bucket of every object version and
delete marker (progress on stderr) and deletes it, deletes the alias, and
schedules the key's deletion (--key-deletion-days, 7 to 30). A key already
pending deletion is left as it is.

It touches only what the account proves is the lab's, and reports what it
keeps and why: an organization trail is kept; a bucket another trail logs
to, or whose policy lets another trail write to it, is kept; a key another
alias also points to is kept. A resource tagged kms-lab:stack belongs to a
Pulumi stack and is kept, with the ` + "`pulumi destroy --stack S`" + ` to run instead.
A read that fails leaves its resource failed, never removed.

--json prints {"actions": [{"type", "name", "action", "status", "detail"}]}
with status planned, done, failed or kept. Exit code 0 when nothing of the
lab is left (a second run finds nothing), 1 when something could not be
removed or a stack owns it (everything else is still removed), 2 on usage
errors or when a read was denied.`,
		Example: `  labctl clean --region us-west-2
  labctl clean --region us-west-2 --yes
  labctl clean --profile lab07 --region us-west-2 --yes --key-deletion-days 30 --json`,
		Args:              cmdutil.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.Clean.Validate(); err != nil {
				return cmdutil.CheckFlags(cmd, cmdutil.FlagErrorf("%s", cmdutil.FlagText(err)))
			}
			return cmdutil.CheckFlags(cmd, nil)
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return cleanRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddAWSFlags(cmd, &opts.Conn, "the profile's region")
	fs := cmd.Flags()
	fs.StringVar(&opts.Clean.Alias, "alias", opts.Clean.Alias, "the key's alias `name`, without alias/")
	fs.StringVar(&opts.Clean.Trail, "trail", opts.Clean.Trail, "the trail's `name`")
	fs.StringVar(&opts.Clean.BucketPrefix, "bucket-prefix", opts.Clean.BucketPrefix, "remove every bucket whose name starts with `prefix`")
	fs.IntVar(&opts.Clean.KeyDeletionDays, "key-deletion-days", opts.Clean.KeyDeletionDays, "`days` KMS waits before deleting the key, 7 to 30")
	fs.BoolVar(&opts.Clean.Yes, "yes", false, "remove; without it, only print what would be removed")
	fs.BoolVar(&opts.JSON, "json", false, `print {"actions": [...]} instead of the table`)
	return cmd
}

func cleanRun(ctx context.Context, opts *CleanOptions) error {
	clients, err := opts.AWS(ctx, opts.Conn, "")
	if err != nil {
		return err
	}
	if clients.Region == "" {
		return cmdutil.FlagErrorf("no region: pass --region with the lab's region (the lab guide's LabRegion) or set one in the profile")
	}
	id, err := clients.WhoAmI(ctx)
	if err != nil {
		return err
	}
	c := &labclean.Cleaner{Clients: clients, Identity: id, Options: opts.Clean, Progress: opts.IO.ErrOut, Now: opts.Now}
	report, err := c.Run(ctx)
	if err != nil {
		return err
	}
	if opts.JSON {
		err = report.WriteJSON(opts.IO.Out)
	} else {
		err = report.WriteText(opts.IO.Out, fmt.Sprintf("account %s, %s", id.Account, clients.Region))
	}
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	switch report.Outcome() {
	case labclean.Left:
		return cmdutil.Finish(cmdutil.Failed, nil)
	case labclean.Denied:
		return cmdutil.Finish(cmdutil.Unknown, nil)
	}
	return nil
}
