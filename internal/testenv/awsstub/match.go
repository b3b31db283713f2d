package awsstub

import (
	"net/url"
	"strings"
)

// JSON matches a JSON-protocol call (KMS, CloudTrail) by its signing name
// and X-Amz-Target operation: JSON("kms", "DescribeKey").
func JSON(service, operation string) Matcher {
	return Matcher{Name: service + " " + operation, match: func(r *Request) bool {
		target := r.Header.Get("X-Amz-Target")
		return r.Service == service && strings.HasSuffix(target, "."+operation)
	}}
}

// Query matches a query-protocol call (STS, IAM) by its signing name and
// Action form field: Query("sts", "GetCallerIdentity").
func Query(service, action string) Matcher {
	return Matcher{Name: service + " " + action, match: func(r *Request) bool {
		if r.Service != service {
			return false
		}
		form, err := url.ParseQuery(string(r.Body))
		return err == nil && form.Get("Action") == action
	}}
}

// S3 matches a signed S3 request by method and path-style path, with an
// optional query every parameter of which must be in the request:
// S3("GET", "/bucket?list-type=2"), S3("HEAD", "/bucket/key").
func S3(method, pathQuery string) Matcher {
	return rest("s3", method, pathQuery)
}

// Anonymous matches an unsigned request, such as verify's anonymous GET of
// the image: Anonymous("GET", "/bucket/key").
func Anonymous(method, pathQuery string) Matcher {
	return rest("", method, pathQuery)
}

func rest(service, method, pathQuery string) Matcher {
	path, rawQuery, _ := strings.Cut(pathQuery, "?")
	want, _ := url.ParseQuery(rawQuery)
	name := service + " " + method + " " + pathQuery
	if service == "" {
		name = "anonymous " + method + " " + pathQuery
	}
	return Matcher{Name: name, match: func(r *Request) bool {
		if r.Service != service || r.Method != method || r.URL.Path != path {
			return false
		}
		got := r.URL.Query()
		for k, vs := range want {
			if !got.Has(k) || (len(vs) > 0 && vs[0] != "" && got.Get(k) != vs[0]) {
				return false
			}
		}
		return true
	}}
}
