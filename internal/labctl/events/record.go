// Package events finds a KMS key's and an S3 object's activity in the log
// files a CloudTrail trail delivers to S3: it lists only the date folders a
// time window needs, streams and decodes each file without holding it in
// memory, matches records that reference the key or the object, and formats
// the matches.
package events

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// Record is the part of a CloudTrail record labctl reads. The full record is
// kept as raw JSON alongside it for --format json.
type Record struct {
	EventTime         time.Time       `json:"eventTime"`
	EventSource       string          `json:"eventSource"`
	EventName         string          `json:"eventName"`
	AWSRegion         string          `json:"awsRegion"`
	SourceIPAddress   string          `json:"sourceIPAddress"`
	EventID           string          `json:"eventID"`
	UserIdentity      UserIdentity    `json:"userIdentity"`
	RequestParameters json.RawMessage `json:"requestParameters"`
	ResponseElements  json.RawMessage `json:"responseElements"`
	Resources         []Resource      `json:"resources"`
}

// UserIdentity is who made the call.
type UserIdentity struct {
	Type        string `json:"type"`
	ARN         string `json:"arn"`
	AccountID   string `json:"accountId"`
	PrincipalID string `json:"principalId"`
	InvokedBy   string `json:"invokedBy"`
}

// Resource is one entry of a record's resources list.
type Resource struct {
	ARN  string `json:"ARN"`
	Type string `json:"type"`
}

// principal is the caller as a person reads it: the ARN, and the service
// that called on its behalf (S3 calls KMS for SSE-KMS objects).
func (u UserIdentity) principal() string {
	p := u.ARN
	if p == "" {
		switch {
		case u.Type == "AWSService" && u.InvokedBy != "":
			return u.InvokedBy
		case u.AccountID == "anonymous":
			return "anonymous"
		case u.Type != "":
			p = u.Type
		default:
			p = "-"
		}
	}
	if u.InvokedBy != "" {
		p += " via " + u.InvokedBy
	}
	return p
}

// kmsKeyID returns the key ID of a KMS key ARN (any partition), and false
// for anything else.
func kmsKeyID(s string) (string, bool) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "kms" {
		return "", false
	}
	id, ok := strings.CutPrefix(a.Resource, "key/")
	return id, ok && id != ""
}

// keyIDFromARN returns the key ID of a KMS key ARN, or s unchanged.
func keyIDFromARN(s string) string {
	if id, ok := kmsKeyID(s); ok {
		return id
	}
	return s
}

// s3ObjectKey returns the object key of an S3 object ARN
// (arn:<partition>:s3:::<bucket>/<key>), and false for anything else.
func s3ObjectKey(s string) (string, bool) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "s3" {
		return "", false
	}
	_, key, ok := strings.Cut(a.Resource, "/")
	return key, ok && key != ""
}
