package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/kms-lab/kms-lab/internal/iamarn"
)

// accountID is a bare 12-digit account ID, which a key policy also accepts
// but the project asks to write as the root ARN.
var accountID = regexp.MustCompile(`^\d{12}$`)

// UsesDeployer reports whether keyAdministrators or keyUsers, as lookup
// gives them (or their defaults), name the deploying principal. Only then does
// the program need to ask IAM who that is (iam:GetRole for an assumed
// role), so a stack that lists its principals needs no such permission.
// A list that does not decode counts as not using it: Load reports it.
func UsesDeployer(lookup Lookup) bool {
	r := reader{lookup: lookup}
	for _, key := range []string{KeyAdministrators, KeyUsers} {
		raw, ok := r.raw(key)
		if !ok {
			continue
		}
		var list []string
		if json.Unmarshal([]byte(raw), &list) != nil {
			continue
		}
		for _, p := range list {
			if p == Deployer {
				return true
			}
		}
	}
	return false
}

// principals checks a principal list and returns it with Deployer resolved.
// KMS accepts IAM users, IAM roles and accounts in a key policy; the lab's
// policy names users or roles (AWS KMS Developer Guide, "Key policies in AWS
// KMS", section "Specifying principals").
func (v *validator) principals(key string, list []string, target Target) []string {
	seen := map[string]bool{}
	out := make([]string, 0, len(list))
	for _, p := range list {
		switch {
		case seen[p]:
			v.bad(key, p, "is listed twice")
		case p == Deployer:
			if target.Deployer == "" {
				v.bad(key, p, "the deploying principal could not be looked up")
			} else if rule := principalRule(target.Deployer, target.Partition); rule != "" {
				v.bad(key, p, "stands for the deploying principal %s, which %s; deploy as an IAM user or role, or list the key's principals explicitly", target.Deployer, rule)
			} else {
				out = append(out, target.Deployer)
			}
		default:
			if rule := principalRule(p, target.Partition); rule != "" {
				v.bad(key, p, "%s", rule)
			} else {
				out = append(out, p)
			}
		}
		seen[p] = true
	}
	return out
}

// principalRule returns why p cannot be a key administrator or key user of a
// key in partition, with what to write instead, or "" when it can.
//
// An empty partition means the target is not known yet (a stack checked
// before its Region is): every rule but the partition's applies, and
// examples are written for the aws partition.
func principalRule(p, partition string) string {
	checkPartition := partition != ""
	if partition == "" {
		partition = "aws"
	}
	const want = "must be an IAM user, role or account root ARN, like arn:%[1]s:iam::111122223333:user/NAME, arn:%[1]s:iam::111122223333:role/NAME or arn:%[1]s:iam::111122223333:root, or " + Deployer + " for whoever runs pulumi up"
	if p == "*" || (strings.Contains(p, "*") && !strings.HasPrefix(p, "arn:")) {
		return fmt.Sprintf("is a wildcard, which would let every AWS principal use or manage the key; name the IAM users or roles instead (%s)", fmt.Sprintf(want, partition))
	}
	if accountID.MatchString(p) {
		return fmt.Sprintf("is a bare account ID; write the account root ARN arn:%s:iam::%s:root instead (it lets IAM policies in that account grant access)", partition, p)
	}
	if strings.HasSuffix(p, ".amazonaws.com") || strings.HasSuffix(p, ".amazonaws.com.cn") {
		return "is an AWS service principal; services use the key on a key user's behalf through grants (kms:GrantIsForAWSResource), so name the IAM user or role instead"
	}
	a, err := arn.Parse(p)
	if err != nil {
		return fmt.Sprintf(want, partition)
	}
	if checkPartition && a.Partition != partition {
		// AWS rejects such a key policy at create time, long after the
		// preview looked fine.
		return fmt.Sprintf("is not in partition %s, the partition this stack deploys to; write arn:%s:...", partition, partition)
	}
	if strings.Contains(a.Resource, "*") {
		return fmt.Sprintf("contains a wildcard; KMS key policies name principals exactly, so name each IAM user or role (%s)", fmt.Sprintf(want, partition))
	}
	switch a.Service {
	case "sts":
		switch {
		case strings.HasPrefix(a.Resource, "assumed-role/"):
			return fmt.Sprintf("is an assumed-role session ARN, which is not a valid key-policy principal; use the role ARN %s", roleARNFromSession(a))
		case strings.HasPrefix(a.Resource, "federated-user/"):
			return fmt.Sprintf("is a federated user session, which ends when its token expires; name the IAM user that called GetFederationToken, or a role, like arn:%s:iam::%s:user/NAME", partition, a.AccountID)
		}
		return fmt.Sprintf(want, partition)
	case "iam":
	default:
		return fmt.Sprintf(want, partition)
	}
	if kind, _, _ := strings.Cut(a.Resource, "/"); kind == "group" {
		return fmt.Sprintf("is an IAM group, which a key policy cannot name (KMS accepts users and roles, not groups); list the group's users, or a role, like arn:%s:iam::%s:user/NAME", partition, a.AccountID)
	}
	if _, err := iamarn.Parse(p); err != nil {
		var bad *iamarn.Error
		if errors.As(err, &bad) {
			return bad.Reason
		}
		return err.Error()
	}
	return ""
}

// roleARNFromSession maps an STS assumed-role session ARN to the IAM role ARN
// it belongs to. The role's path is not part of a session ARN; where the path
// matters the program asks IAM (getSessionContext) instead.
func roleARNFromSession(a arn.ARN) string {
	parts := strings.Split(strings.TrimPrefix(a.Resource, "assumed-role/"), "/")
	role := parts[0]
	return arn.ARN{Partition: a.Partition, Service: "iam", AccountID: a.AccountID, Resource: "role/" + role}.String()
}
