package awswire

import "net/http"

// SigV4RequiredAnswer is what Amazon S3 answers, with HTTP 400, to an
// unsigned GET of an SSE-KMS object (the message lab task 4, step 23 shows;
// Amazon S3 User Guide, "Specifying server-side encryption with AWS KMS":
// "requests for SSE-KMS objects must be made over SSL or TLS and signed
// with Signature Version 4"). moto serves the object instead.
var SigV4RequiredAnswer = S3Error{Code: "InvalidArgument",
	Message:      "Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.",
	ArgumentName: "Authorization", ArgumentValue: "null"}.Body()

// S3AccessDeniedAnswer is Amazon S3's HTTP 403 answer when access control
// refuses a request (Amazon S3 API Reference, Error responses: code
// AccessDenied, "Access Denied"). moto enforces no IAM or bucket policy for
// signed requests, so a test that needs the refusal has a front give it.
var S3AccessDeniedAnswer = S3Error{Code: "AccessDenied", Message: "Access Denied"}.Body()

// WriteSigV4Required answers as S3 does an unsigned GET of an SSE-KMS
// object.
func WriteSigV4Required(w http.ResponseWriter) {
	write(w, http.StatusBadRequest, "application/xml", SigV4RequiredAnswer)
}

// WriteS3AccessDenied answers as S3 does a request access control refuses.
func WriteS3AccessDenied(w http.ResponseWriter) {
	write(w, http.StatusForbidden, "application/xml", S3AccessDeniedAnswer)
}

// WriteJSONAccessDenied answers as a JSON 1.1 protocol service (KMS,
// CloudTrail) refuses a call: HTTP 400 with an AccessDeniedException.
// message names the caller and the action, as AWS words it.
func WriteJSONAccessDenied(w http.ResponseWriter, message string) {
	WriteJSONError(w, http.StatusBadRequest, "AccessDeniedException", message)
}

// WriteQueryAccessDenied answers as a query protocol service (IAM, STS)
// refuses a call: HTTP 403, code AccessDenied. namespace is the service's
// xmlns; message names the caller and the action, as AWS words it.
func WriteQueryAccessDenied(w http.ResponseWriter, namespace, message string) {
	WriteQueryError(w, http.StatusForbidden, namespace, "AccessDenied", message)
}

// WriteThrottled answers as service (a SigV4 signing name; "" for an
// unsigned request, which is S3's) does a request it throttles:
//   - S3: HTTP 503 with the code SlowDown (Amazon S3 API Reference, "Error
//     responses": "SlowDown ... Please reduce your request rate. 503 Slow
//     Down"); a HEAD gets the status alone.
//   - IAM and STS (query protocol): HTTP 400, code Throttling (IAM and STS
//     API References, "Common Errors": Throttling, "The request was denied
//     due to request throttling", HTTP Status Code: 400).
//   - KMS, CloudTrail and the other JSON protocol services: HTTP 400,
//     ThrottlingException "Rate exceeded" (AWS KMS API Reference and AWS
//     CloudTrail API Reference, "Common Errors": ThrottlingException, HTTP
//     Status Code: 400).
func WriteThrottled(w http.ResponseWriter, service string) {
	switch service {
	case "s3", "":
		WriteS3Error(w, http.StatusServiceUnavailable, S3Error{Code: "SlowDown", Message: "Please reduce your request rate."})
	case "iam", "sts":
		WriteQueryError(w, http.StatusBadRequest, "", "Throttling", "Rate exceeded")
	default:
		WriteJSONError(w, http.StatusBadRequest, "ThrottlingException", "Rate exceeded")
	}
}
