package cmdutil

import (
	"fmt"
	"net/url"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/valuetext"
)

// checkedValue is a flag whose value is checked when it is set, and whose
// problem is kept rather than returned: pflag stops at the first flag it
// cannot set, so a returned error would hide every other bad flag of the
// run. CheckFlags reports the kept problems with the command's own.
type checkedValue struct {
	pflag.Value
	name    string
	check   func(string) string // the rule a parsed value breaks, or ""
	problem string
}

func (v *checkedValue) Set(s string) error {
	before := v.Value.String()
	if err := v.Value.Set(s); err != nil {
		// pflag's numbers store their zero before failing; the default
		// stays, so that the command's own checks do not report the flag
		// a second time.
		_ = v.Value.Set(before)
		v.problem = fmt.Sprintf("--%s %s: %s", v.name, valuetext.Quote(s), parseRule(v.Value.Type()))
		return nil
	}
	v.problem = ""
	if v.check != nil {
		if rule := v.check(s); rule != "" {
			v.problem = fmt.Sprintf("--%s %s: %s", v.name, valuetext.Quote(s), rule)
		}
	}
	return nil
}

// parseRule says what a flag of a pflag type takes, in the user's words
// rather than strconv's or time's.
func parseRule(typ string) string {
	switch typ {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "count":
		return "must be a whole number"
	case "float32", "float64":
		return "must be a number"
	case "duration":
		return "must be a duration such as 90s, 15m or 1h"
	case "bool":
		return "must be true or false"
	}
	return "is not a valid " + typ
}

// checkFlag makes fs's flag name keep its parse problem, and apply check.
func checkFlag(fs *pflag.FlagSet, name string, check func(string) string) {
	f := fs.Lookup(name)
	if f == nil {
		return
	}
	if cv, ok := f.Value.(*checkedValue); ok {
		if check != nil {
			cv.check = check
		}
		return
	}
	f.Value = &checkedValue{Value: f.Value, name: name, check: check}
}

// CheckFlagsOf makes every flag of cmd and its subcommands keep its parse
// problem for CheckFlags, and gives each runnable command without a PreRunE
// one that reports them, so that no command runs with a flag it could not
// set. A command that checks its own flags does so in its PreRunE, with
// CheckFlags. labctl's root calls it once the tree is built.
func CheckFlagsOf(cmd *cobra.Command) {
	for _, fs := range []*pflag.FlagSet{cmd.LocalNonPersistentFlags(), cmd.PersistentFlags()} {
		fs.VisitAll(func(f *pflag.Flag) { checkFlag(cmd.Flags(), f.Name, flagRules[f.Name]) })
	}
	if cmd.Runnable() && cmd.PreRunE == nil && cmd.PreRun == nil {
		cmd.PreRunE = func(c *cobra.Command, _ []string) error { return CheckFlags(c, nil) }
	}
	for _, sub := range cmd.Commands() {
		CheckFlagsOf(sub)
	}
}

// FlagProblems are the problems of the flags cmd could not set or whose
// rule they break, in the order of the flags' names.
func FlagProblems(cmd *cobra.Command) []string {
	var problems []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if cv, ok := f.Value.(*checkedValue); ok && cv.problem != "" {
			problems = append(problems, cv.problem)
		}
	})
	return problems
}

// CheckFlags is a command's PreRunE check: the problems of the flags it
// could not set, with validated, the error of its own checks (nil when
// they pass), as one FlagError, so that one run names every bad flag.
func CheckFlags(cmd *cobra.Command, validated error) error {
	problems := FlagProblems(cmd)
	if validated != nil {
		if len(problems) == 0 {
			return validated
		}
		problems = append(problems, validated.Error())
	}
	return Problems(problems)
}

// flagRules are the rules of the flags that several commands register,
// by name, so that a command that registers --endpoint-url itself (the
// class commands) gets the rule AddAWSFlags gives it.
var flagRules = map[string]func(string) string{
	"region":       regionRule,
	"endpoint-url": endpointRule,
}

// regionRule is --region's rule: an empty value is refused rather than read as "the
// default", and a name no partition holds would only fail at DNS, after
// retries.
func regionRule(s string) string {
	if _, ok := config.RegionPartition(s); !ok {
		return config.RegionRule
	}
	return ""
}

// endpointRule is --endpoint-url's rule: the SDK takes any text and fails
// only when it sends, as a retried network error.
func endpointRule(s string) string {
	const rule = "must be an http or https URL with a host, such as http://127.0.0.1:5000"
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return rule
	}
	return ""
}
