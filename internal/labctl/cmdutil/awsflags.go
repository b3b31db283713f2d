package cmdutil

import (
	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// AddAWSFlags registers --profile, --region and --endpoint-url, the flags
// every command that calls AWS takes, into opts. regionDefault completes
// the --region help: where the region comes from when the flag is not
// given ("the stack's region", "the stack file's aws:region").
func AddAWSFlags(cmd *cobra.Command, opts *awsclient.Options, regionDefault string) {
	fs := cmd.Flags()
	fs.StringVar(&opts.Profile, "profile", "", "AWS shared config `profile` (default: AWS_PROFILE or the default chain)")
	fs.StringVar(&opts.Region, "region", "", "AWS `region` (default: "+regionDefault+")")
	fs.StringVar(&opts.EndpointURL, "endpoint-url", "", "AWS endpoint `URL` for an emulator; S3 is then addressed path-style")
	// Checked before any call: a bad value would otherwise be retried
	// for the call's whole time budget and then reported as AWS's error.
	checkFlag(fs, "region", regionRule)
	checkFlag(fs, "endpoint-url", endpointRule)
}

// AddEndpointFlag registers --endpoint-url alone, with AddAWSFlags' rule:
// for the class commands, whose accounts' profile and region come from
// their stack files.
func AddEndpointFlag(cmd *cobra.Command, endpoint *string) {
	cmd.Flags().StringVar(endpoint, "endpoint-url", "", "AWS endpoint `URL` for an emulator; S3 is then addressed path-style")
	checkFlag(cmd.Flags(), "endpoint-url", endpointRule)
}
