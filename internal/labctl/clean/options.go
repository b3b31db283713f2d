// Package clean removes a lab done by hand from an account. It reads the
// account once through the account model's Observer (observe: every trail
// the region sees and those homed elsewhere, the buckets whose names start
// with the guide's prefix, the alias and its key), decides from that snapshot alone what is the lab's
// (package plan), and with Yes acts on the plan (apply): the trail in its
// home region, each bucket emptied of every version and delete marker, the
// alias, and the key's deletion scheduled. Everything else is kept and
// reported with the reason, and a read that failed leaves its resource
// failed, never removed. Without Yes it only says what it would do.
package clean

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kms-lab/kms-lab/internal/labctl/clean/plan"
	"github.com/kms-lab/kms-lab/internal/labctl/labfind"
	"github.com/kms-lab/kms-lab/internal/labctl/option"
	"github.com/kms-lab/kms-lab/internal/labnames"
	"github.com/kms-lab/kms-lab/internal/valuetext"
)

// Key deletion waiting period, in days: KMS accepts 7 to 30
// (AWS KMS API Reference, ScheduleKeyDeletion, PendingWindowInDays).
const (
	minKeyDeletionDays     = 7
	maxKeyDeletionDays     = 30
	defaultKeyDeletionDays = minKeyDeletionDays
)

// Options say what to look for and whether to remove it.
type Options struct {
	Alias           string // without alias/
	Trail           string
	BucketPrefix    string
	KeyDeletionDays int
	// Yes removes; without it clean is a dry run.
	Yes bool
}

// GuideOptions are the guide's names and the shortest waiting period.
func GuideOptions() Options {
	return Options{Alias: labnames.GuideAlias, Trail: labnames.GuideTrail, BucketPrefix: labnames.GuideBucketPrefix, KeyDeletionDays: defaultKeyDeletionDays}
}

var (
	aliasRe = regexp.MustCompile(`^[A-Za-z0-9/_-]{1,250}$`)
	// trailRe is CloudTrail's rule for a trail name (CreateTrail, Name).
	trailRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$`)
	// bucketPrefixRe: the start of an S3 bucket name (lowercase letters,
	// digits, dots and hyphens, beginning with a letter or digit). At least
	// three characters, since a short prefix would match buckets that are not
	// the lab's.
	bucketPrefixRe = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{2,62}$`)
)

// names are the options as the plan takes them.
func (o Options) names() plan.Names {
	return plan.Names{Alias: labfind.AliasName(o.Alias), Trail: o.Trail, BucketPrefix: o.BucketPrefix, KeyDeletionDays: o.KeyDeletionDays}
}

// Validate reports every bad option together, each with the option's
// name, the value and the rule (option.Problems); the command words the
// names as its flags.
func (o Options) Validate() error {
	var p option.Problems
	if strings.HasPrefix(o.Alias, "alias/") || strings.HasPrefix(o.Alias, "aws/") || !aliasRe.MatchString(o.Alias) {
		p.Add("alias", valuetext.Quote(o.Alias), "give the alias name without alias/ (letters, digits, / _ -; not aws/, which AWS manages)")
	}
	if !trailRe.MatchString(o.Trail) {
		p.Add("trail", valuetext.Quote(o.Trail), "a trail name of 3 to 128 letters, digits, . _ -, starting and ending with a letter or digit")
	}
	if !bucketPrefixRe.MatchString(o.BucketPrefix) {
		p.Add("bucket-prefix", valuetext.Quote(o.BucketPrefix), "the start of an S3 bucket name, at least 3 lowercase letters, digits, . or -")
	}
	if o.KeyDeletionDays < minKeyDeletionDays || o.KeyDeletionDays > maxKeyDeletionDays {
		p.Add("key-deletion-days", strconv.Itoa(o.KeyDeletionDays), fmt.Sprintf("KMS waits %d to %d days before deleting a key", minKeyDeletionDays, maxKeyDeletionDays))
	}
	return p.Err()
}
