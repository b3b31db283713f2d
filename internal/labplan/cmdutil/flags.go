package cmdutil

import (
	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/plan"
)

// AddTargetFlags registers what the simulated AWS data sources answer:
// --account, --region, --partition, --caller-arn and --role-path. The plan
// and diff commands take them.
func AddTargetFlags(cmd *cobra.Command, opts *plan.Options) {
	fs := cmd.Flags()
	fs.StringVar(&opts.AccountID, "account", "", "`account` ID the caller-identity data source answers (default: the stack's single aws:allowedAccountIds entry, else 111122223333, AWS's documentation example)")
	fs.StringVar(&opts.Region, "region", "", "`region` the region data source answers (default: the stack's aws:region)")
	fs.StringVar(&opts.Partition, "partition", "", "`partition`: aws (default), aws-cn or aws-us-gov")
	fs.StringVar(&opts.CallerARN, "caller-arn", "", "identity (`ARN`) running pulumi up (default: a session of the stack's aws:assumeRole role, else IAM user AWSLabsUser-example); an assumed-role session maps to its role")
	fs.StringVar(&opts.RolePath, "role-path", "", "IAM `path` of the caller's role, for an assumed-role --caller-arn (default /)")
}

// OneOf checks a --format style flag: nil, or a FlagError naming the flag,
// its value and the allowed values.
func OneOf(flag, value string, allowed ...string) error {
	for _, a := range allowed {
		if value == a {
			return nil
		}
	}
	return FlagErrorf("--%s %q: must be %s", flag, value, orList(allowed))
}

func orList(s []string) string {
	switch len(s) {
	case 0:
		return "nothing"
	case 1:
		return s[0]
	}
	out := ""
	for i, v := range s[:len(s)-1] {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out + " or " + s[len(s)-1]
}
