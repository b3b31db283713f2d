package page

import "strings"

// A cause is why a check fails, the same for every account that makes the
// same mistake: a stable key that check and verify set where they judge
// (report.Check's Cause, kept in each Cell's Failures), the check's name
// or "check=class of the value seen". The page groups a class's failures
// by it so that an instructor explains a mistake once to the room; no
// wording of a detail or a hint goes into it.

// causeLabels name each cause for the room, in the lab guide's words.
var causeLabels = map[string]string{
	"object.encryption=sse-s3":            "image encrypted with SSE-S3",
	"object.encryption=other-kms-key":     "image encrypted with another KMS key",
	"object.encryption=none":              "image not encrypted",
	"object.encryption":                   "image not encrypted with SSE-KMS",
	"object.exists":                       "no image uploaded",
	"trail.event-selectors=advanced":      "trail uses advanced event selectors",
	"trail.event-selectors":               "trail does not log management and S3 data events",
	"trail.insight-selectors":             "Insights events not selected",
	"trail.exists":                        "no trail myTrail",
	"trail.logging":                       "trail not logging",
	"trail.bucket-name":                   "trail writes to another bucket",
	"trail.log-file-sse-kms":              "log file SSE-KMS encryption left on",
	"bucket.exists":                       "no trail bucket",
	"bucket.policy":                       "trail bucket policy does not let CloudTrail write",
	"bucket.public-access-block":          "Block public access still on",
	"bucket.ownership":                    "ACLs disabled on the bucket",
	"object.acl":                          "image not made public",
	"object.acl=beyond-read":              "image grants Everyone more than Read",
	"object.anonymous-get=served":         "image served to anonymous callers",
	"object.anonymous-get=access-control": "anonymous GET refused by access control, not by SSE-KMS",
	"key.exists":                          "no key with alias myFirstKey",
	"key.alias":                           "no key with alias myFirstKey",
	"key.state":                           "key disabled or pending deletion",
	"key.spec":                            "key not symmetric encrypt/decrypt",
	"key.description":                     "key description differs",
	"key.policy":                          "key policy edited",
	"key.policy.root":                     "root statement removed from the key policy",
	"key.policy.administrators":           "student not a key administrator",
	"key.policy.users":                    "student not a key user",
	"key.policy.grants":                   "student may not create grants",
	"key-policy.history":                  "key users not removed and added back",
	"logs.key-activity":                   "no log record of the key's use",
	"logs.image-activity":                 "no log record of the image",
}

// causeLabel is the cause's label; a cause without one shows its check's
// name, the part of the key before "=".
func causeLabel(key string) string {
	if l, ok := causeLabels[key]; ok {
		return l
	}
	return causeCheck(key)
}

// causeCheck is the check whose finding a cause is.
func causeCheck(key string) string {
	check, _, _ := strings.Cut(key, "=")
	return check
}
