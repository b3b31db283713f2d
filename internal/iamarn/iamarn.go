// Package iamarn parses the IAM principal ARNs the project deals with (IAM
// users, IAM roles and account roots) with aws-sdk-go-v2's ARN parser, so the
// config loader, labctl and the deployer policy share one reading of them.
package iamarn

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// Kinds of principal.
const (
	User = "user"
	Role = "role"
	Root = "root"
)

// Principal is a parsed IAM user, role or account-root ARN.
type Principal struct {
	Partition string
	AccountID string
	Kind      string // User, Role or Root
	// Path is the IAM path, "/" when there is none; empty for Root.
	Path string
	// Name is the user or role name; empty for Root.
	Name string
}

// IAM's rules for user and role names and paths (IAM User Guide, "IAM
// identifiers"; CreateUser and CreateRole in the IAM API Reference).
var (
	nameRe    = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	pathSegRe = regexp.MustCompile(`^[\x21-\x7e]+$`)
	accountRe = regexp.MustCompile(`^\d{12}$`)
)

// Error says why a string is not an IAM principal ARN.
type Error struct {
	ARN    string
	Reason string
}

func (e *Error) Error() string { return fmt.Sprintf("%q %s", e.ARN, e.Reason) }

// Parse reads s as an IAM user, role or account-root ARN and says what is
// wrong with it otherwise, as an *Error.
func Parse(s string) (Principal, error) {
	bad := func(format string, a ...any) (Principal, error) {
		return Principal{}, &Error{ARN: s, Reason: fmt.Sprintf(format, a...)}
	}
	a, err := arn.Parse(s)
	if err != nil {
		return bad("is not an ARN")
	}
	if a.Service != "iam" {
		return bad("is a %s ARN, not an IAM one", a.Service)
	}
	if !accountRe.MatchString(a.AccountID) || a.Region != "" {
		return bad("has account %q and region %q; IAM ARNs have a 12-digit account and no region", a.AccountID, a.Region)
	}
	p := Principal{Partition: a.Partition, AccountID: a.AccountID}
	if a.Resource == Root {
		p.Kind = Root
		return p, nil
	}
	kind, rest, _ := strings.Cut(a.Resource, "/")
	if kind != User && kind != Role {
		return bad("names an IAM %s, not a user, role or account root", kind)
	}
	p.Kind = kind
	segs := strings.Split(rest, "/")
	for _, seg := range segs[:len(segs)-1] {
		if !pathSegRe.MatchString(seg) {
			return bad("has an invalid IAM path")
		}
	}
	p.Name = segs[len(segs)-1]
	if !nameRe.MatchString(p.Name) {
		return bad("has an invalid %s name: IAM names are 1-64 letters, digits and + = , . @ _ -", kind)
	}
	p.Path = "/" + strings.Join(segs[:len(segs)-1], "/")
	if len(segs) > 1 {
		p.Path += "/"
	}
	return p, nil
}

// IsUserOrRole reports whether s is an IAM user or role ARN.
func IsUserOrRole(s string) bool {
	p, err := Parse(s)
	return err == nil && p.Kind != Root
}
