package cmdutil

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/valuetext"
)

var accountRe = regexp.MustCompile(`^\d{12}$`)

// partitions are the partitions labplan plans and writes policies for.
var partitions = []string{"aws", "aws-cn", "aws-us-gov"}

// AccountProblem is --account's rule, worded for every command that takes
// it: "" when account is a 12-digit AWS account ID.
func AccountProblem(account string) string {
	if accountRe.MatchString(account) {
		return ""
	}
	return fmt.Sprintf("--account %s: must be a 12-digit AWS account ID", valuetext.Quote(account))
}

// PartitionProblem is --partition's rule: "" for a partition labplan knows.
func PartitionProblem(partition string) string {
	if slices.Contains(partitions, partition) {
		return ""
	}
	return fmt.Sprintf("--partition %s: must be %s", valuetext.Quote(partition), orList(partitions))
}

// TargetProblems checks the target flags fs parsed into t, every one, before
// a stack file is read: a flag given empty is refused rather than taken for
// its default.
func TargetProblems(fs *pflag.FlagSet, t plan.Options) []string {
	var problems []string
	given := func(name string) bool { return fs.Changed(name) }
	if p := AccountProblem(t.AccountID); given("account") && p != "" {
		problems = append(problems, p)
	}
	regionPartition, regionOK := config.RegionPartition(t.Region)
	if given("region") && !regionOK {
		problems = append(problems, fmt.Sprintf("--region %s: %s", valuetext.Quote(t.Region), config.RegionRule))
	}
	partitionProblem := PartitionProblem(t.Partition)
	partitionOK := partitionProblem == ""
	if given("partition") && !partitionOK {
		problems = append(problems, partitionProblem)
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
