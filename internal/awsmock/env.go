// Package awsmock answers the Pulumi engine's resource registrations and
// data-source calls the way the AWS provider would, so the program can run
// with no cloud: the tests and the offline plan both use it. IDs and ARNs are
// derived from the inputs, never random, so two runs give identical results.
// A type or call token it does not know is an error, never an empty answer.
package awsmock

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// ExampleAccountID is the account AWS's own documentation uses in examples.
const ExampleAccountID = "111122223333"

// Env is the simulated deployment target.
type Env struct {
	AccountID string
	Region    string
	Partition string
	// CallerARN is the identity running pulumi up; empty means an IAM user
	// AWSLabsUser-example in AccountID, like the lab's signed-in user.
	CallerARN string
	// RolePath is the IAM path of an assumed role (for example
	// "/aws-reserved/sso.amazonaws.com/"), which a session ARN does not show.
	RolePath string
}

var (
	accountRe = regexp.MustCompile(`^\d{12}$`)
	regionRe  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d$`)
)

// partitions maps each supported partition to its DNS suffix and the region
// prefix its regions carry.
var partitions = map[string]struct{ dnsSuffix, regionPrefix, reverseDNS string }{
	"aws":        {"amazonaws.com", "", "com.amazonaws"},
	"aws-cn":     {"amazonaws.com.cn", "cn-", "cn.com.amazonaws"},
	"aws-us-gov": {"amazonaws.com", "us-gov-", "com.amazonaws"},
}

// Validate reports every problem with the simulated target at once.
func (e Env) Validate() error {
	var problems []string
	if !accountRe.MatchString(e.AccountID) {
		problems = append(problems, fmt.Sprintf("account %q must be 12 digits", e.AccountID))
	}
	p, ok := partitions[e.Partition]
	if !ok {
		problems = append(problems, fmt.Sprintf("partition %q must be one of aws, aws-cn, aws-us-gov", e.Partition))
	}
	switch {
	case !regionRe.MatchString(e.Region):
		problems = append(problems, fmt.Sprintf("region %q is not a region name like us-west-2", e.Region))
	case ok && p.regionPrefix != "" && !strings.HasPrefix(e.Region, p.regionPrefix):
		problems = append(problems, fmt.Sprintf("region %q is not in partition %s (its regions start with %s)", e.Region, e.Partition, p.regionPrefix))
	case ok && p.regionPrefix == "" && (strings.HasPrefix(e.Region, "cn-") || strings.HasPrefix(e.Region, "us-gov-")):
		problems = append(problems, fmt.Sprintf("region %q is not in partition %s", e.Region, e.Partition))
	}
	if e.CallerARN != "" && !strings.HasPrefix(e.CallerARN, "arn:"+e.Partition+":") {
		problems = append(problems, fmt.Sprintf("caller ARN %q is not in partition %s", e.CallerARN, e.Partition))
	}
	if len(problems) > 0 {
		return fmt.Errorf("simulated AWS target: %s", strings.Join(problems, "; "))
	}
	return nil
}

// caller returns the caller ARN, defaulting to the lab's IAM user.
func (e Env) caller() string {
	if e.CallerARN != "" {
		return e.CallerARN
	}
	return fmt.Sprintf("arn:%s:iam::%s:user/AWSLabsUser-example", e.Partition, e.AccountID)
}

// dnsSuffix is the partition's base domain.
func (e Env) dnsSuffix() string { return partitions[e.Partition].dnsSuffix }

// sessionContext answers iam.getSessionContext: an assumed-role session maps
// to its role (with RolePath); any other ARN is its own issuer.
func (e Env) sessionContext(callerARN string) (issuerARN, issuerName, sessionName string) {
	a, err := arn.Parse(callerARN)
	if err != nil || a.Service != "sts" || !strings.HasPrefix(a.Resource, "assumed-role/") {
		return callerARN, "", ""
	}
	role, session, ok := strings.Cut(strings.TrimPrefix(a.Resource, "assumed-role/"), "/")
	if !ok {
		return callerARN, "", ""
	}
	path := e.RolePath
	if path == "" {
		path = "/"
	}
	return arn.ARN{Partition: a.Partition, Service: "iam", AccountID: a.AccountID, Resource: "role" + path + role}.String(), role, session
}
