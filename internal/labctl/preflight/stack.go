package preflight

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/iamarn"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
	"github.com/kms-lab/kms-lab/policies"
)

// CheckStack applies the stack's config rules before any AWS call, so that
// a mistake in the file is not blamed on the account and needs no
// credentials: the kms-lab settings (with a stand-in deployer, whose
// ARN is only known once AWS says who is calling), aws:allowedAccountIds
// and aws:assumeRole. Every problem is in the one error.
func CheckStack(sc *stackconfig.Config, file string) error {
	var problems []string
	guess := policies.PartitionOfRegion(sc.Region())
	if _, err := config.Load(lookup(sc), sc.ProjectDir, config.Target{Partition: guess, Deployer: "arn:" + guess + ":iam::111122223333:root"}); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	allowed, err := allowedAccounts(sc)
	if err != nil {
		problems = append(problems, err.Error())
	}
	if _, err := assumeRole(sc, allowed); err != nil {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s: %s", file, strings.Join(problems, "; "))
	}
	return nil
}

// AWSOptions adds what the stack's provider config says about access, as
// `pulumi up` would use it: aws:profile when --profile is not given, and
// aws:assumeRole, assumed with those credentials.
func AWSOptions(opts awsclient.Options, sc *stackconfig.Config) (awsclient.Options, error) {
	if opts.Profile == "" {
		opts.Profile = sc.Values["aws:profile"]
	}
	allowed, _ := allowedAccounts(sc) // its error is CheckStack's
	role, err := assumeRole(sc, allowed)
	if err != nil || role == nil {
		return opts, err
	}
	opts.AssumeRole = &awsclient.AssumeRole{RoleARN: role.RoleARN, SessionName: role.SessionName, ExternalID: role.ExternalID}
	return opts, nil
}

// allowedAccounts is aws:allowedAccountIds, nil when the stack sets none.
func allowedAccounts(sc *stackconfig.Config) ([]string, error) {
	raw, ok := sc.Values["aws:allowedAccountIds"]
	if !ok {
		return nil, nil
	}
	var allowed []string
	if err := json.Unmarshal([]byte(raw), &allowed); err != nil {
		return nil, fmt.Errorf("aws:allowedAccountIds = %s: must be a list of account IDs", raw)
	}
	return allowed, nil
}

// assumeRole reads aws:assumeRole with iamarn's parser, the one the class
// files use too; nil when the stack sets none. The stack config gives a
// map as JSON text, and a secret inside it as "[secret]".
func assumeRole(sc *stackconfig.Config, allowed []string) (*iamarn.AssumeRole, error) {
	raw, ok := sc.Values["aws:assumeRole"]
	if !ok {
		return nil, nil
	}
	if raw == "[secret]" {
		return nil, fmt.Errorf("aws:assumeRole holds a secret: its values must be plain strings, since labctl reads stack files without the stack's passphrase")
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, fmt.Errorf("aws:assumeRole = %s: %s", raw, iamarn.AssumeRoleShape)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var fields []iamarn.Field
	var problems []string
	for _, k := range keys {
		s, ok := m[k].(string)
		if !ok {
			problems = append(problems, fmt.Sprintf("aws:assumeRole.%s = %v: must be a plain string", k, m[k]))
			continue
		}
		fields = append(fields, iamarn.Field{Key: k, Value: s})
	}
	role, ps := iamarn.ParseAssumeRole(fields, allowed)
	for _, p := range ps {
		problems = append(problems, p.String())
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return role, nil
}

// lookup reads the stack's settings the way the program's config does.
func lookup(sc *stackconfig.Config) config.Lookup {
	return func(key string) (string, bool) { v, ok := sc.Values[key]; return v, ok }
}
