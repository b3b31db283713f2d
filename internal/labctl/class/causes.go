package class

import "strings"

// A cause is why a check fails, the same for every account that makes the
// same mistake: the check's name and the class of value it observed. The
// page groups a class's failures by cause so that an instructor explains a
// mistake once to the room.

// failure is one failing or unknown check of one cell, as run.go records
// it in Cell.Details: "[unknown |warn ]check: observed[; expected ...][. Hint: ...]".
type failure struct {
	Column, Check, Status, Text, Hint string
}

// hintSep is how check's grades attach the student's hint to a detail.
const hintSep = ". Hint: "

// failuresOf reads a cell's details back into failures.
func failuresOf(c Cell) []failure {
	var out []failure
	for _, d := range c.Details {
		f := failure{Column: c.Column, Status: string(StatusFail)}
		for _, p := range []Status{StatusUnknown, "warn"} {
			if rest, ok := strings.CutPrefix(d, string(p)+" "); ok {
				f.Status, d = string(p), rest
			}
		}
		name, text, ok := strings.Cut(d, ": ")
		if !ok {
			name, text = c.Column, d
		}
		f.Check = name
		f.Text, f.Hint, _ = strings.Cut(text, hintSep)
		out = append(out, f)
	}
	return out
}

// valueClass is the class of an observed value that decides the cause,
// for the checks whose hint depends on it (check's hints branch on the
// same values); "" for every other check, whose name is its cause.
func valueClass(check, observed string) string {
	switch check {
	case "object.encryption":
		switch {
		case strings.HasPrefix(observed, "AES256"):
			return "sse-s3"
		case strings.HasPrefix(observed, "aws:kms"):
			return "other-kms-key"
		}
		return "none"
	case "trail.event-selectors":
		if strings.Contains(observed, "advanced") {
			return "advanced"
		}
	}
	return ""
}

// causeKey is the failure's stable cause key, "check" or "check=class".
func causeKey(f failure) string {
	if vc := valueClass(f.Check, f.Text); vc != "" {
		return f.Check + "=" + vc
	}
	return f.Check
}

// causeLabels name each cause for the room, in the lab guide's words.
var causeLabels = map[string]string{
	"object.encryption=sse-s3":        "image encrypted with SSE-S3",
	"object.encryption=other-kms-key": "image encrypted with another KMS key",
	"object.encryption=none":          "image not encrypted with SSE-KMS",
	"object.exists":                   "no image uploaded",
	"trail.event-selectors=advanced":  "trail uses advanced event selectors",
	"trail.event-selectors":           "trail does not log management and S3 data events",
	"trail.insight-selectors":         "Insights events not selected",
	"trail.exists":                    "no trail myTrail",
	"trail.logging":                   "trail not logging",
	"trail.bucket-name":               "trail writes to another bucket",
	"trail.log-file-sse-kms":          "log file SSE-KMS encryption left on",
	"bucket.exists":                   "no trail bucket",
	"bucket.policy":                   "trail bucket policy does not let CloudTrail write",
	"bucket.public-access-block":      "Block public access still on",
	"bucket.ownership":                "ACLs disabled on the bucket",
	"object.acl":                      "image not made public",
	"object.anonymous-get":            "image served to anonymous callers",
	"key.exists":                      "no key with alias myFirstKey",
	"key.alias":                       "no key with alias myFirstKey",
	"key.state":                       "key disabled or pending deletion",
	"key.spec":                        "key not symmetric encrypt/decrypt",
	"key.description":                 "key description differs",
	"key.policy":                      "key policy edited",
	"key.policy.root":                 "root statement removed from the key policy",
	"key.policy.administrators":       "student not a key administrator",
	"key.policy.users":                "student not a key user",
	"key.policy.grants":               "student may not create grants",
	"key-policy.history":              "key users not removed and added back",
	"logs.key-activity":               "no log record of the key's use",
	"logs.image-activity":             "no log record of the image",
}

// causeLabel is the cause's label, its key when the table has none.
func causeLabel(key string) string {
	if l, ok := causeLabels[key]; ok {
		return l
	}
	return key
}
