package policies

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrInvalidArgument is wrapped by every argument error from this package, so
// callers can tell a bad input from a rendering failure with errors.Is.
var ErrInvalidArgument = errors.New("invalid argument")

// The patterns below only guard the shape of the ARNs this package builds: a
// colon, slash, wildcard or space in any of these values would silently yield
// an ARN that names something else. The full naming rules of each AWS
// service are enforced by the project's config validation, not here.
var (
	// Partitions today: aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b,
	// aws-iso-e, aws-iso-f, aws-eusc. Accept any name of that shape so a new
	// partition does not need a code change.
	partitionPattern = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	accountPattern   = regexp.MustCompile(`^[0-9]{12}$`)
	// us-east-1, cn-north-1, us-gov-west-1, eusc-de-east-1, ...
	regionPattern = regexp.MustCompile(`^[a-z]+(-[a-z]+)+-[0-9]+$`)
	bucketPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	trailPattern  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$`)
)

// problems collects every invalid field of one call, so a caller fixing its
// input sees all mistakes at once instead of one per run.
type problems []error

func (p *problems) add(field, value, rule string) {
	*p = append(*p, fmt.Errorf("%w: %s %q %s", ErrInvalidArgument, field, value, rule))
}

func (p *problems) check(ok bool, field, value, rule string) {
	if !ok {
		p.add(field, value, rule)
	}
}

// err joins the problems under the name of what was being built.
func (p problems) err(what string) error {
	if len(p) == 0 {
		return nil
	}
	return fmt.Errorf("policies: %s: %w", what, errors.Join(p...))
}

func (p *problems) partition(v string) {
	p.check(partitionPattern.MatchString(v), "Partition", v,
		"must be a partition name such as aws, aws-cn or aws-us-gov")
}

func (p *problems) accountID(v string) {
	p.check(accountPattern.MatchString(v), "AccountID", v, "must be exactly 12 digits")
}

// principals checks key-policy principals. The wildcard is refused because
// the console never offers it and "*" as a key user would let any AWS
// account use the key.
func (p *problems) principals(field string, list []string) {
	for i, v := range list {
		name := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case strings.TrimSpace(v) == "":
			p.add(name, v, "must not be empty")
		case strings.TrimSpace(v) != v:
			p.add(name, v, "must not have leading or trailing whitespace")
		case v == "*":
			p.add(name, v, "must not be the wildcard principal")
		}
	}
}
