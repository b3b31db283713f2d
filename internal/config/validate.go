package config

import (
	"fmt"
	"maps"
	"net"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

var (
	aliasChars     = regexp.MustCompile(`^[a-zA-Z0-9/_-]+$`)
	trailChars     = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
	trailAdjacent  = regexp.MustCompile(`[._-]{2}`)
	bucketChars    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*[a-z0-9]$`)
	bucketPrefixRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	objectKeyChars = regexp.MustCompile(`^[A-Za-z0-9!_.*'()/-]+$`)
	tagChars       = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

// Limits from the AWS service documentation.
const (
	maxAliasName       = 250 // 256 including "alias/"
	maxKeyDescription  = 8192
	minDeletionWindow  = 7
	maxDeletionWindow  = 30
	maxBucketName      = 63
	generatedSuffixLen = 26 // timestamp and counter the provider appends to bucketPrefix
	maxObjectKeyBytes  = 1024
	maxTagKey          = 128
	maxTagValue        = 256
	maxTags            = 49 // AWS allows 50; StackTagKey is the 50th
)

type validator struct {
	problems []Problem
	// typeErrors names keys whose value did not even decode; their range
	// rules are skipped rather than applied to a zero value.
	typeErrors map[string]bool
}

func (v *validator) bad(key, value, rule string, args ...any) {
	v.problems = append(v.problems, Problem{Key: key, Value: value, Rule: fmt.Sprintf(rule, args...)})
}

func (v *validator) err() error { return newErrors(v.problems) }

func (v *validator) validate(c *Config, target Target) {
	v.alias(c.KeyAlias)
	if n := utf8.RuneCountInString(c.KeyDescription); n > maxKeyDescription {
		v.bad(KeyDescription, truncate(c.KeyDescription, 40)+"...", "must be at most %d characters (got %d)", maxKeyDescription, n)
	}
	c.KeyAdministrators = v.principals(KeyAdministrators, c.KeyAdministrators, target)
	c.KeyUsers = v.principals(KeyUsers, c.KeyUsers, target)
	if !v.typeErrors[KeyDeletionWindowDays] && (c.DeletionWindowDays < minDeletionWindow || c.DeletionWindowDays > maxDeletionWindow) {
		v.bad(KeyDeletionWindowDays, fmt.Sprint(c.DeletionWindowDays), "must be between %d and %d days", minDeletionWindow, maxDeletionWindow)
	}
	v.trailName(c.TrailName)
	switch {
	case c.BucketName != "" && c.BucketNamePrefix != defaultBucketNamePrefix:
		v.bad(BucketName, c.BucketName, "set either bucketName or bucketNamePrefix (%q), not both", c.BucketNamePrefix)
	case c.BucketName != "":
		v.bucketName(c.BucketName)
		c.BucketNamePrefix = "" // the exact name wins over the default prefix
	default:
		v.bucketPrefix(c.BucketNamePrefix)
	}
	v.objectKey(c.ObjectKey)
	c.ImageContentType = v.image(c.ImagePath, c.ImageFile)
	if c.ObjectKey == "" && c.ImagePath != "" {
		c.ObjectKey = baseName(c.ImagePath)
		v.objectKeyFromFile(c.ObjectKey)
	}
	switch c.PublicAccess {
	case publicAccessObjectACL, publicAccessAllOff:
	case publicAccessBlocked:
		if c.PublicObjectACL {
			v.bad(PublicAccess, c.PublicAccess, "cannot block public ACLs while publicObjectAcl is true: S3 would refuse the public-read ACL with AccessDenied; set publicObjectAcl to false or publicAccess to object-acl")
		}
	default:
		v.bad(PublicAccess, c.PublicAccess, "must be one of %s, %s, %s", publicAccessObjectACL, publicAccessAllOff, publicAccessBlocked)
	}
	switch c.DataEventsScope {
	case DataEventsAllBuckets:
	case DataEventsExcludeTrailBucket:
		if !c.DataEvents {
			v.bad(DataEventsScope, c.DataEventsScope, "has no effect while dataEvents is false; set dataEvents to true, or remove dataEventsScope")
		}
	default:
		v.bad(DataEventsScope, c.DataEventsScope, "must be one of %s, %s", DataEventsAllBuckets, DataEventsExcludeTrailBucket)
	}
	v.tags(c.Tags)
}

// truncate cuts s to at most n characters without splitting one.
func truncate(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

func (v *validator) alias(a string) {
	switch {
	case a == "":
		v.bad(KeyAlias, a, "must not be empty")
	case strings.HasPrefix(a, "alias/"):
		v.bad(KeyAlias, a, "give the name without the alias/ prefix (it is added for you), e.g. %q", strings.TrimPrefix(a, "alias/"))
	case strings.HasPrefix(strings.ToLower(a), "aws/"):
		v.bad(KeyAlias, a, "must not start with aws/: that prefix is reserved for AWS managed keys")
	case !aliasChars.MatchString(a):
		v.bad(KeyAlias, a, "may contain only letters, digits, slashes (/), underscores (_) and dashes (-)")
	case len(a) > maxAliasName:
		v.bad(KeyAlias, a, "must be at most %d characters", maxAliasName)
	}
}

func (v *validator) trailName(n string) {
	switch {
	case len(n) < 3 || len(n) > 128:
		v.bad(TrailName, n, "must be 3 to 128 characters")
	case !trailChars.MatchString(n):
		v.bad(TrailName, n, "may contain only ASCII letters, digits, periods, underscores and dashes")
	case !isAlnum(n[0]) || !isAlnum(n[len(n)-1]):
		v.bad(TrailName, n, "must start and end with a letter or digit")
	case trailAdjacent.MatchString(n):
		v.bad(TrailName, n, "must not have adjacent periods, underscores or dashes")
	case net.ParseIP(n) != nil:
		v.bad(TrailName, n, "must not be formatted as an IP address")
	}
}

func (v *validator) bucketName(n string) {
	if rule := bucketRule(n); rule != "" {
		v.bad(BucketName, n, "%s", rule)
	}
}

func bucketRule(n string) string {
	switch {
	case len(n) < 3 || len(n) > maxBucketName:
		return fmt.Sprintf("must be 3 to %d characters", maxBucketName)
	case strings.Contains(n, "."):
		return "must not contain dots: the lab opens the object by its virtual-hosted HTTPS URL, whose certificate does not cover dotted bucket names"
	case !bucketChars.MatchString(n):
		return "may contain only lowercase letters, digits and hyphens, and must start and end with a letter or digit"
	case strings.HasPrefix(n, "xn--") || strings.HasPrefix(n, "sthree-") || strings.HasPrefix(n, "amzn-s3-demo-"):
		return "must not start with xn--, sthree- or amzn-s3-demo- (reserved by S3)"
	case strings.HasSuffix(n, "-s3alias") || strings.HasSuffix(n, "--ol-s3") || strings.HasSuffix(n, ".mrap") || strings.HasSuffix(n, "--x-s3"):
		return "must not end with -s3alias, --ol-s3, .mrap or --x-s3 (reserved by S3)"
	}
	return ""
}

func (v *validator) bucketPrefix(p string) {
	maxLen := maxBucketName - generatedSuffixLen
	switch {
	case p == "":
		v.bad(BucketNamePrefix, p, "must not be empty")
	case len(p) > maxLen:
		v.bad(BucketNamePrefix, p, "must be at most %d characters: the provider appends %d characters and bucket names end at %d", maxLen, generatedSuffixLen, maxBucketName)
	case strings.Contains(p, "."):
		v.bad(BucketNamePrefix, p, "must not contain dots: the lab opens the object by its virtual-hosted HTTPS URL, whose certificate does not cover dotted bucket names")
	case !bucketPrefixRe.MatchString(p):
		v.bad(BucketNamePrefix, p, "may contain only lowercase letters, digits and hyphens, and must start with a letter or digit")
	default:
		if rule := bucketRule(p + "00000000000000000000000000"); rule != "" {
			v.bad(BucketNamePrefix, p, "%s", rule)
		}
	}
}

func (v *validator) objectKey(k string) {
	if k == "" {
		return // derived from the image file name
	}
	if rule := objectKeyRule(k); rule != "" {
		v.bad(ObjectKey, k, "%s", rule)
	}
}

// objectKeyFromFile checks a key derived from the image's file name, naming
// imagePath as the setting to change.
func (v *validator) objectKeyFromFile(k string) {
	if rule := objectKeyRule(k); rule != "" {
		v.bad(ImagePath, k, "the file name becomes the object key, which %s; rename the file or set objectKey", rule)
	}
}

func objectKeyRule(k string) string {
	switch {
	case len(k) > maxObjectKeyBytes:
		return fmt.Sprintf("must be at most %d bytes", maxObjectKeyBytes)
	case strings.HasPrefix(k, "/") || strings.HasSuffix(k, "/"):
		return "must not start or end with a slash"
	case !objectKeyChars.MatchString(k):
		return "may contain only letters, digits and the characters ! _ . * ' ( ) / - (S3's safe characters, so the object URL needs no escaping)"
	case strings.Contains(k, "//") || k == "." || k == ".." || strings.Contains("/"+k+"/", "/../") || strings.Contains("/"+k+"/", "/./"):
		return "must not contain empty, . or .. path segments"
	}
	return ""
}

// tags checks user tags against the rules every tagged service (KMS, S3,
// CloudTrail) shares, in key order so the report is stable.
func (v *validator) tags(t map[string]string) {
	if len(t) > maxTags {
		v.bad(Tags, fmt.Sprintf("%d tags", len(t)), "at most %d tags are allowed (AWS allows %d and kms-lab adds %s)", maxTags, maxTags+1, StackTagKey)
	}
	for _, k := range slices.Sorted(maps.Keys(t)) {
		val := t[k]
		switch {
		case k == "":
			v.bad(Tags, k, "tag keys must not be empty")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			v.bad(Tags, k, "tag keys must not start with aws: (reserved by AWS)")
		case strings.HasPrefix(k, Namespace+":"):
			v.bad(Tags, k, "tag keys must not start with %s: (kms-lab sets %s itself)", Namespace, StackTagKey)
		case utf8.RuneCountInString(k) > maxTagKey:
			v.bad(Tags, k, "tag keys must be at most %d characters", maxTagKey)
		case !tagChars.MatchString(k):
			v.bad(Tags, k, "tag keys may contain only letters, digits, spaces and + - = . _ : / @")
		case utf8.RuneCountInString(val) > maxTagValue:
			v.bad(Tags, k+"="+val, "tag values must be at most %d characters", maxTagValue)
		case !tagChars.MatchString(val):
			v.bad(Tags, k+"="+val, "tag values may contain only letters, digits, spaces and + - = . _ : / @")
		}
	}
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}
