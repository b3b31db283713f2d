package check

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/labctl/verify"
	"github.com/kms-lab/kms-lab/internal/report"
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

// seen is every check verify made, by name: a hint names the cause that
// was observed, and that can be another check's finding.
type seen map[string]verify.Check

func seenOf(checks []verify.Check) seen {
	s := seen{}
	for _, c := range checks {
		s[c.Name] = c
	}
	return s
}

func (s seen) failed(name string) bool {
	c, ok := s[name]
	return ok && c.Status == report.Fail
}

// advise says, for a student, why a failed check fails and what to do
// about it: the cause that was observed (report.Check's Cause, a stable key
// the class page groups by) and its hint. One hint per cause, not one per
// check; a cause can be another check's finding. The hints follow the
// console steps of the lab guide.
func advise(c verify.Check, g names, s seen) (cause, hint string) {
	cause = causeOf(c)
	switch c.Name {
	case "key.exists", "key.alias":
		return cause, "create a symmetric key in Key Management Service with alias " + g.alias + " (task 1, steps 2-12)"
	case "key.state":
		return cause, "enable the key (Key actions > Enable), or cancel its deletion"
	case "key.spec":
		return cause, "the key must be Symmetric, for encrypt and decrypt; create a new one with alias " + g.alias
	case "key.description":
		return cause, "edit the key's description to \"" + g.description + "\""
	case "key.policy.administrators":
		return cause, "add " + g.student + " under Key administrators on the key's page"
	case "key.policy.users", "key.policy.grants":
		return cause, "add " + g.student + " under Key users on the key's page"
	case "key.policy.root", "key.policy":
		return cause, "switch the key policy back to the default view and keep the account's root statement"
	case "trail.exists":
		return cause, "create the trail " + g.trail + " in CloudTrail (task 2)"
	case "trail.bucket-name":
		return cause, "the trail must write to a new bucket named " + g.bucketPrefix + "NUMBER"
	case "trail.log-file-sse-kms":
		return cause, "edit the trail and deselect Log file SSE-KMS encryption"
	case "trail.logging":
		return cause, "start logging on the trail (CloudTrail > Trails > " + g.trail + " > Start logging)"
	case "trail.event-selectors":
		if cause == verify.CauseAdvancedSelectors {
			return cause, "in the trail's Data events, choose Switch to basic event selectors, and log S3 data events for all buckets"
		}
		return cause, "edit the trail's events: select Management events and Data events (S3, all buckets, basic event selectors)"
	case "trail.insight-selectors":
		return cause, "edit the trail's Insights events: select API call rate and API error rate"
	case "bucket.exists", "bucket.policy":
		return cause, "let CloudTrail create the bucket when creating the trail, so that it gets the policy that lets the trail write logs"
	case "object.encryption":
		switch cause {
		case verify.CauseSSES3:
			return cause, "the object is encrypted with SSE-S3; re-upload it choosing SSE-KMS and " + g.alias
		case verify.CauseOtherKMSKey:
			return cause, "the object is encrypted with another KMS key; re-upload it choosing " + g.alias
		}
		return cause, "upload an image choosing Server-side encryption: SSE-KMS with " + g.alias + " (task 3)"
	case "bucket.public-access-block":
		return cause, "in the bucket's Permissions, edit Block public access and deselect Block all public access"
	case "bucket.ownership":
		return cause, "in the bucket's Permissions, edit Object Ownership and select ACLs enabled"
	case "object.acl":
		if cause == verify.CauseACLBeyondRead {
			return cause, "the image grants Everyone more than Read; select it, then Permissions > Access control list (ACL) > Edit, and leave Everyone (public access) with Object Read only"
		}
		return cause, "select the image, then Actions > Make public using ACL"
	case "object.anonymous-get":
		return anonymousGetAdvice(c, g, s)
	}
	return cause, ""
}

// causeOf is the check's cause as verify decided it, else its name.
func causeOf(c verify.Check) string {
	if c.Cause != "" {
		return c.Cause
	}
	return c.Name
}

// anonymousGetAdvice names what the anonymous GET showed. Served: the
// object is public and so it lacks SSE-KMS, since S3 refuses unsigned
// requests for SSE-KMS objects (the lab guide, task 4 step 23); the
// mistake is task 3's encryption, and its cause is object.encryption's.
// Refused with Access Denied: whichever of task 4's settings was seen to be
// missing already has its own hint, and the refusal is that cause.
func anonymousGetAdvice(c verify.Check, g names, s seen) (cause, hint string) {
	switch c.Cause {
	case verify.CauseServedAnonymously:
		if e, ok := s["object.encryption"]; ok && e.Status != report.Fail {
			// Task 3 saw the image encrypted with SSE-KMS, so the hint
			// must not say it is not: AWS would have refused the unsigned
			// GET, and an endpoint that serves it (an emulator does) does
			// not behave as Amazon S3.
			return c.Cause, "S3 served the image to an anonymous caller although task 3 saw it encrypted with SSE-KMS, which Amazon S3 " +
				"refuses to serve unsigned (task 4, step 23): check that the endpoint graded is Amazon S3, not an emulator"
		}
		cause, enc := c.Cause, "is not encrypted with SSE-KMS"
		if e, ok := s["object.encryption"]; ok && e.Status == report.Fail {
			cause = causeOf(e)
			switch e.Cause {
			case verify.CauseSSES3:
				enc = "is encrypted with SSE-S3, not SSE-KMS"
			case verify.CauseNoSSE:
				enc = "is not encrypted"
			}
		}
		return cause, "the image is already public, and S3 served it because it " + enc +
			"; upload it again with Server-side encryption with AWS Key Management Service keys (SSE-KMS) and " + g.alias +
			" (task 3, steps 6-12), then make the new upload public (task 4, steps 15-18)"
	case verify.CauseRefusedByAccessControl:
		for _, name := range []string{"bucket.public-access-block", "bucket.ownership", "object.acl"} {
			if s.failed(name) {
				return causeOf(s[name]), "see " + name + ": S3 refuses the anonymous GET until it is fixed"
			}
		}
		return c.Cause, "S3 refused the anonymous GET with Access Denied although the bucket and the image's ACL are as task 4 sets them: " +
			"check Block Public Access for the whole account (S3 > Block Public Access settings for this account) and any Deny in the bucket policy"
	}
	return causeOf(c), ""
}

// keyUserChecks are the checks of the student as a key user, which task 1
// sets up and task 6 takes away and gives back.
var keyUserChecks = map[string]bool{"key.policy.users": true, "key.policy.grants": true}

// gradeKeyUserTask1 grades task 1's key-user checks on the key policy's
// history: a student who was made a key user (by CreateKey or a
// PutKeyPolicy) did task 1, and a removal since is task 6's mistake, shown
// once, under task 6. Without history, the current policy is all there is,
// and the detail says so.
func gradeKeyUserTask1(c verify.Check, g names, s seen, h keyHistory, o *stackout.Outputs) report.Check {
	if c.Status != report.Fail {
		return grade(c, g, s)
	}
	for _, r := range h.records {
		var params struct {
			Policy string `json:"policy"`
		}
		if json.Unmarshal(r.RequestParameters, &params) != nil || params.Policy == "" {
			continue // a CreateKey without a policy gets the default policy: no key users
		}
		if _, user, err := verify.KeyRoles(params.Policy, o, g.student); err == nil && user {
			return report.Check{Name: c.Name, Status: Pass, Detail: fmt.Sprintf(
				"%s was made a key user by %s at %s (from the %s); it is not one now, which task 6 grades",
				g.student, r.EventName, r.EventTime.UTC().Format(time.RFC3339), strings.Join(h.sources, " and "))}
		}
	}
	switch {
	case len(h.sources) == 0:
		c.Observed += " (judged on the current key policy: neither the log files nor the event history could be read)"
	case len(h.records) == 0:
		c.Observed += " (judged on the current key policy: no CreateKey or PutKeyPolicy record of the key in the " + strings.Join(h.sources, " or the ") + ")"
	default:
		c.Observed += " (nor did any CreateKey or PutKeyPolicy record make it one)"
	}
	return grade(c, g, s)
}

// grade turns one of verify's checks into a task item.
func grade(c verify.Check, g names, s seen) report.Check {
	it := report.Check{Name: c.Name, Detail: c.Observed}
	switch {
	case c.Status == report.Pass:
		it.Status = Pass
		return it
	case c.Status == report.Warn && c.Name != "object.anonymous-get" && c.Name != "trail.event-selectors":
		// A warning that does not undo the task (an S3 Bucket Key, an
		// unevaluated Deny): the task is done.
		it.Status = Pass
		return it
	case c.Status == report.Unknown || c.Status == report.Error:
		// A read that AWS refused, throttled or did not answer: verify's
		// detail says why and when to retry, and nothing was seen to hint at.
		it.Status, it.Cause = Unknown, causeOf(c)
		return it
	}
	it.Status = Fail
	if c.Expected != "" && c.Expected != c.Observed {
		it.Detail += "; expected " + c.Expected
	}
	if strings.HasPrefix(c.Name, "object.") && g.image != "" {
		// The page shows only failures: each names the image it judged.
		it.Detail += " (the image judged: " + g.image
		if g.chosen != "" {
			it.Detail += ", " + g.chosen
		}
		it.Detail += ")"
	}
	it.Cause, it.Hint = advise(c, g, s)
	return it
}
