package check

import (
	"strings"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
)

// taskOf says which of the guide's tasks each of verify's checks belongs
// to. The current key users count twice: task 1 adds the student, task 6
// must leave the student there.
var taskOf = map[string][]int{
	"key.exists": {1}, "key.state": {1}, "key.spec": {1}, "key.description": {1}, "key.alias": {1},
	"key.policy": {1}, "key.policy.root": {1}, "key.policy.administrators": {1},
	"key.policy.users": {1, 6}, "key.policy.grants": {1},
	"trail.exists": {2}, "trail.bucket-name": {2}, "trail.log-file-sse-kms": {2}, "trail.logging": {2},
	"trail.event-selectors": {2}, "trail.insight-selectors": {2}, "bucket.exists": {2}, "bucket.policy": {2},
	"object.encryption":          {3},
	"bucket.public-access-block": {4}, "bucket.ownership": {4}, "object.acl": {4}, "object.anonymous-get": {4},
}

// hints say, for a student, what to do about a failed check. They follow
// the console steps of the lab guide.
func hint(c verify.Check, g names) string {
	switch c.Name {
	case "key.exists", "key.alias":
		return "create a symmetric key in Key Management Service with alias " + g.alias + " (task 1, steps 2-12)"
	case "key.state":
		return "enable the key (Key actions > Enable), or cancel its deletion"
	case "key.spec":
		return "the key must be Symmetric, for encrypt and decrypt; create a new one with alias " + g.alias
	case "key.description":
		return "edit the key's description to \"" + g.description + "\""
	case "key.policy.administrators":
		return "add " + g.student + " under Key administrators on the key's page"
	case "key.policy.users", "key.policy.grants":
		return "add " + g.student + " under Key users on the key's page"
	case "key.policy.root", "key.policy":
		return "switch the key policy back to the default view and keep the account's root statement"
	case "trail.exists":
		return "create the trail " + g.trail + " in CloudTrail (task 2)"
	case "trail.bucket-name":
		return "the trail must write to a new bucket named " + g.bucketPrefix + "NUMBER"
	case "trail.log-file-sse-kms":
		return "edit the trail and deselect Log file SSE-KMS encryption"
	case "trail.logging":
		return "start logging on the trail (CloudTrail > Trails > " + g.trail + " > Start logging)"
	case "trail.event-selectors":
		if strings.Contains(c.Observed, "advanced") {
			return "in the trail's Data events, choose Switch to basic event selectors, and log S3 data events for all buckets"
		}
		return "edit the trail's events: select Management events and Data events (S3, all buckets, basic event selectors)"
	case "trail.insight-selectors":
		return "edit the trail's Insights events: select API call rate and API error rate"
	case "bucket.exists", "bucket.policy":
		return "let CloudTrail create the bucket when creating the trail, so that it gets the policy that lets the trail write logs"
	case "object.encryption":
		if strings.HasPrefix(c.Observed, "AES256") {
			return "the object is encrypted with SSE-S3; re-upload it choosing SSE-KMS and " + g.alias
		}
		if strings.HasPrefix(c.Observed, "aws:kms") {
			return "the object is encrypted with another KMS key; re-upload it choosing " + g.alias
		}
		return "upload an image choosing Server-side encryption: SSE-KMS with " + g.alias + " (task 3)"
	case "bucket.public-access-block":
		return "in the bucket's Permissions, edit Block public access and deselect Block all public access"
	case "bucket.ownership":
		return "in the bucket's Permissions, edit Object Ownership and select ACLs enabled"
	case "object.acl", "object.anonymous-get":
		return "select the image, then Actions > Make public using ACL"
	}
	return ""
}

// grade turns one of verify's checks into a task item.
func grade(c verify.Check, g names) Item {
	it := Item{Name: c.Name, Detail: c.Observed}
	switch {
	case c.Status == verify.StatusOK:
		it.Status = Pass
		return it
	case c.Status == verify.StatusWarn && c.Name != "object.anonymous-get" && c.Name != "trail.event-selectors":
		// A warning that does not undo the task (an S3 Bucket Key, an
		// unevaluated Deny): the task is done.
		it.Status = Pass
		return it
	}
	switch c.Cause {
	case awsclient.KindAccessDenied, awsclient.KindBadCredentials:
		it.Status, it.denied = Unknown, true
		it.Detail += " (the checker's credentials may not read this; grant the read permission and run check again)"
		return it
	case awsclient.KindUnreachable:
		it.Status, it.denied = Unknown, true
		it.Detail += " (retry when the endpoint is reachable)"
		return it
	}
	it.Status = Fail
	if c.Expected != "" && c.Expected != c.Observed {
		it.Detail += "; expected " + c.Expected
	}
	if h := hint(c, g); h != "" {
		it.Detail += ". Hint: " + h
	}
	return it
}
