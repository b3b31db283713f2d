// Package class is `labctl class`, the group of commands over every lab
// account of a class.
package class

import (
	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/cmd/class/clean"
	"github.com/kms-lab/kms-lab/internal/labctl/cmd/class/status"
	"github.com/kms-lab/kms-lab/internal/labctl/cmd/class/watch"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

// NewCmdClass builds `labctl class` with its subcommands; run alone, or
// with an unknown subcommand, it is a usage error.
func NewCmdClass(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "class <command>",
		Short: "See or clean up a whole class: class status, watch, clean",
		Long: `Commands over every lab account of a class, as classes/<class>.yaml lists
them; ` + "`labctl help class <command>`" + ` shows one's flags.`,
	}
	cmdutil.RequireSubcommand(cmd)
	cmd.AddCommand(status.NewCmdStatus(f, nil))
	cmd.AddCommand(watch.NewCmdWatch(f, nil))
	cmd.AddCommand(clean.NewCmdClean(f, nil))
	return cmd
}
