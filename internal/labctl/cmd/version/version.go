// Package version is `labctl version`: the version, commit and build date
// the binary was stamped with.
package version

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

// VersionOptions are what version takes from the Factory.
type VersionOptions struct {
	IO   *cmdutil.IOStreams
	Info cmdutil.BuildInfo
}

// NewCmdVersion builds `labctl version`; runF, when set, runs instead of
// versionRun.
func NewCmdVersion(f *cmdutil.Factory, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{IO: f.IOStreams, Info: f.BuildInfo}
	return &cobra.Command{
		Use:   "version",
		Short: "Print labctl's version, commit and build date",
		Long: `Prints the version labctl was released as, the commit it was built from and
when. A release binary is stamped with all three; one built from a checkout
(go build, go install) shows "(devel)" or its module version, and the
commit and time the Go toolchain recorded, with "local changes" when the
checkout had some.`,
		Example:           `  labctl version`,
		Args:              cmdutil.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(_ *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return versionRun(opts)
		},
	}
}

func versionRun(opts *VersionOptions) error {
	_, err := fmt.Fprintln(opts.IO.Out, opts.Info.Line("labctl"))
	return err
}
