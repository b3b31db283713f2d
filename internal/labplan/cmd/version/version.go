// Package version is `labplan version`: the version and commit of this
// build.
package version

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/buildinfo"
	"github.com/kms-lab/kms-lab/internal/labplan/cmdutil"
)

// NewCmdVersion builds the version command.
func NewCmdVersion(f *cmdutil.Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print labplan's version and commit",
		Long: `Print labplan's version, the commit it was built from and when: a release
says what GoReleaser stamped for its tag; a binary built from a checkout
says what the Go toolchain recorded (commit, and "with local changes" when
the tree had some).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return versionRun(f.IOStreams, f.BuildInfo)
		},
	}
}

func versionRun(io *cmdutil.IOStreams, info buildinfo.Info) error {
	_, err := fmt.Fprintln(io.Out, info.Line("labplan"))
	return err
}
