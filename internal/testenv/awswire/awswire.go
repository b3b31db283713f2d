// Package awswire is how AWS answers on the wire, for the tests' fronts and
// stubs: the service and region a request is signed for, and the error
// documents of the three protocols labctl's clients speak (S3's REST XML,
// the JSON 1.1 protocol of KMS and CloudTrail, the query protocol of IAM
// and STS), with the answers the tests give in them: access denied and
// throttled.
//
// It imports the standard library alone, so that mototest, awsstub and a
// package's internal tests can all use it without an import cycle. Only
// tests may import it.
package awswire

import (
	"net/http"
	"strings"
)

// Scope is the credential scope of a request's Signature Version 4:
// Credential=AKID/20261130/us-west-2/kms/aws4_request (AWS General
// Reference, "Elements of an AWS API request signature").
type Scope struct {
	AccessKey, Date, Region, Service string
}

// ScopeOf reads the scope of r's Authorization header. An unsigned request
// (lab task 4's anonymous GET) has the zero Scope.
func ScopeOf(r *http.Request) Scope {
	_, cred, ok := strings.Cut(r.Header.Get("Authorization"), "Credential=")
	if !ok {
		return Scope{}
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(cred, "/")
	if len(parts) < 5 {
		return Scope{}
	}
	return Scope{AccessKey: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}
}
