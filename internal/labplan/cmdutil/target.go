package cmdutil

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/pflag"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/valuetext"
)

var accountRe = regexp.MustCompile(`^\d{12}$`)

// IsAccountID reports whether s is a 12-digit AWS account ID.
func IsAccountID(s string) bool { return accountRe.MatchString(s) }

// Partitions are the partitions labplan plans and writes policies for.
var Partitions = []string{"aws", "aws-cn", "aws-us-gov"}

// TargetProblems checks the target flags fs parsed into t, every one, before
// a stack file is read: a flag given empty is refused rather than taken for
// its default.
func TargetProblems(fs *pflag.FlagSet, t plan.Options) []string {
	var problems []string
	given := func(name string) bool { return fs.Changed(name) }
	if given("account") && !accountRe.MatchString(t.AccountID) {
		problems = append(problems, fmt.Sprintf("--account %s: must be a 12-digit AWS account ID", valuetext.Quote(t.AccountID)))
	}
	regionPartition, regionOK := config.RegionPartition(t.Region)
	if given("region") && !regionOK {
		problems = append(problems, fmt.Sprintf("--region %s: %s", valuetext.Quote(t.Region), config.RegionRule))
	}
	partitionOK := OneOf("partition", t.Partition, Partitions...) == nil
	if given("partition") && !partitionOK {
		problems = append(problems, fmt.Sprintf("--partition %s: must be %s", valuetext.Quote(t.Partition), orList(Partitions)))
	}
	if given("region") && given("partition") && regionOK && partitionOK && regionPartition != t.Partition {
		problems = append(problems, fmt.Sprintf("--region %s is in partition %s, not --partition %s: drop --partition, which follows --region", t.Region, regionPartition, t.Partition))
	}
	return problems
}

// Problems is nil, or one FlagError listing every problem.
func Problems(problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	return FlagErrorf("%s", strings.Join(problems, "; "))
}
