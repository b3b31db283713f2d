package events

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// KeyRef identifies the KMS key in every form a record may carry it: the key
// ID, the key ARN, and the alias by name or ARN.
type KeyRef struct {
	ID      string
	ARN     string
	Aliases []string
}

// refers reports whether s names this key.
func (k *KeyRef) refers(s string) bool {
	if s == "" {
		return false
	}
	if s == k.ID || s == k.ARN {
		return true
	}
	// A key ARN from another partition spelling or a record that carries
	// only the ARN: the key ID is unique, so compare that.
	if id, ok := kmsKeyID(s); ok && id == k.ID {
		return true
	}
	for _, a := range k.Aliases {
		if s == a {
			return true
		}
	}
	return false
}

// ObjectRef identifies the S3 object.
type ObjectRef struct {
	Bucket string
	Key    string
	ARN    string // arn:<partition>:s3:::<bucket>/<key>
}

// Query says which records to keep. A record matches when it falls in the
// time window, has one of EventNames (if any), and references Key or Object
// (whichever are set).
type Query struct {
	Key        *KeyRef
	Object     *ObjectRef
	EventNames []string
	Since      time.Time
	Until      time.Time
}

// Match is one matching record.
type Match struct {
	Record Record
	Raw    json.RawMessage
	// Key and Object are what the record says about the key and the object,
	// for the table.
	Key    string
	Object string
}

// requestKeyFields are the requestParameters members in which KMS and S3
// name a key (Encrypt/Decrypt/GenerateDataKey, CreateAlias, ReEncrypt, S3
// PutObject with SSE-KMS).
var requestKeyFields = []string{
	"keyId", "targetKeyId", "sourceKeyId", "destinationKeyId", "kmsKeyId",
	"x-amz-server-side-encryption-aws-kms-key-id",
}

// Matcher applies a Query to records.
type Matcher struct {
	q       Query
	names   map[string]bool
	needles [][]byte // nil: no cheap pre-check possible, decode every record
}

// NewMatcher prepares q.
func NewMatcher(q Query) *Matcher {
	m := &Matcher{q: q}
	if len(q.EventNames) > 0 {
		m.names = make(map[string]bool, len(q.EventNames))
		for _, n := range q.EventNames {
			m.names[strings.ToLower(n)] = true
		}
	}
	m.needles = needlesFor(q)
	return m
}

// needlesFor lists byte strings of which at least one must occur in the raw
// text of any matching record. Most records of a busy trail mention neither
// the key nor the object, and skipping their full decode is what makes a
// search through thousands of files fast. A needle must be immune to JSON
// escaping, so only runs of characters that no encoder escapes are used.
func needlesFor(q Query) [][]byte {
	var ids []string
	if q.Key != nil {
		ids = append(ids, q.Key.ID)
		for _, a := range q.Key.Aliases {
			ids = append(ids, a[strings.LastIndex(a, "/")+1:])
		}
	}
	if q.Object != nil {
		ids = append(ids, q.Object.Key)
	}
	if len(ids) == 0 {
		return nil
	}
	var needles [][]byte
	for _, id := range ids {
		n := longestSafeRun(id)
		if len(n) < 4 {
			return nil
		}
		needles = append(needles, []byte(n))
	}
	return needles
}

func longestSafeRun(s string) string {
	best, start := "", 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && escapeSafe(s[i]) {
			continue
		}
		if i-start > len(best) {
			best = s[start:i]
		}
		start = i + 1
	}
	return best
}

func escapeSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == ':' || c == '!' || c == '*' || c == '\'' || c == '(' || c == ')'
}

// mayMatch is the cheap pre-check on a record's raw JSON: false means the
// record cannot match.
func (m *Matcher) mayMatch(raw []byte) bool {
	if m.needles == nil {
		return true
	}
	for _, n := range m.needles {
		if bytes.Contains(raw, n) {
			return true
		}
	}
	return false
}

// Match decides on a decoded record.
func (m *Matcher) Match(rec *Record) (Match, bool) {
	if rec.EventTime.Before(m.q.Since) || (!m.q.Until.IsZero() && rec.EventTime.After(m.q.Until)) {
		return Match{}, false
	}
	if m.names != nil && !m.names[strings.ToLower(rec.EventName)] {
		return Match{}, false
	}
	params := objectMembers(rec.RequestParameters)
	keyHit := m.q.Key != nil && m.refersToKey(rec, params)
	objHit := m.q.Object != nil && m.refersToObject(rec, params)
	if !keyHit && !objHit {
		return Match{}, false
	}
	return Match{Record: *rec, Key: shownKey(rec, params), Object: shownObject(rec, params)}, true
}

func (m *Matcher) refersToKey(rec *Record, params map[string]json.RawMessage) bool {
	k := m.q.Key
	for _, r := range rec.Resources {
		if k.refers(r.ARN) {
			return true
		}
	}
	for _, f := range requestKeyFields {
		if k.refers(stringMember(params, f)) {
			return true
		}
	}
	// responseElements name the key under several shapes (CreateKey's
	// keyMetadata, S3's x-amz-server-side-encryption-aws-kms-key-id, ...).
	found := false
	walkStrings(rec.ResponseElements, func(s string) bool {
		found = k.refers(s)
		return !found
	})
	return found
}

func (m *Matcher) refersToObject(rec *Record, params map[string]json.RawMessage) bool {
	o := m.q.Object
	for _, r := range rec.Resources {
		if r.ARN == o.ARN {
			return true
		}
	}
	// KMS calls S3 makes for an SSE-KMS object carry the object's ARN as
	// encryption context (with S3 Bucket Keys off).
	if ctx := objectMembers(params["encryptionContext"]); stringMember(ctx, "aws:s3:arn") == o.ARN {
		return true
	}
	if stringMember(params, "key") == o.Key {
		b := stringMember(params, "bucketName")
		return b == "" || b == o.Bucket
	}
	return false
}

// shownKey is the key a record used, as a key ID where possible. A KMS
// resource is recognised by its ARN: the KMS guide's GenerateDataKey and
// Decrypt examples list the key without a resource type.
func shownKey(rec *Record, params map[string]json.RawMessage) string {
	for _, r := range rec.Resources {
		if id, ok := kmsKeyID(r.ARN); ok {
			return id
		}
	}
	for _, f := range requestKeyFields {
		if v := stringMember(params, f); v != "" {
			return keyIDFromARN(v)
		}
	}
	return ""
}

// shownObject is the object a record touched, as bucket-relative key.
func shownObject(rec *Record, params map[string]json.RawMessage) string {
	if key, ok := s3ObjectKey(stringMember(objectMembers(params["encryptionContext"]), "aws:s3:arn")); ok {
		return key
	}
	if k := stringMember(params, "key"); k != "" {
		return k
	}
	for _, r := range rec.Resources {
		if r.Type == "AWS::S3::Object" {
			if key, ok := s3ObjectKey(r.ARN); ok {
				return key
			}
		}
	}
	return ""
}

// objectMembers decodes a JSON object one level deep; anything else (null,
// absent) gives nil.
func objectMembers(raw json.RawMessage) map[string]json.RawMessage {
	if len(raw) == 0 || raw[0] != '{' {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}

func stringMember(m map[string]json.RawMessage, name string) string {
	raw, ok := m[name]
	if !ok || len(raw) == 0 || raw[0] != '"' {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}

// walkStrings calls fn with every string value in raw, depth first, until fn
// returns false.
func walkStrings(raw json.RawMessage, fn func(string) bool) {
	if len(raw) == 0 || raw[0] == 'n' {
		return
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch t := v.(type) {
		case string:
			return fn(t)
		case map[string]any:
			for _, e := range t {
				if !walk(e) {
					return false
				}
			}
		case []any:
			for _, e := range t {
				if !walk(e) {
					return false
				}
			}
		}
		return true
	}
	walk(v)
}
