package mototest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// SigV4RequiredAnswer is what Amazon S3 answers, with HTTP 400, to an
// unsigned GET of an SSE-KMS object (the message lab task 4, step 23 shows;
// Amazon S3 User Guide, "Specifying server-side encryption with AWS KMS":
// "requests for SSE-KMS objects must be made over SSL or TLS and signed
// with Signature Version 4"). moto serves the object instead.
const SigV4RequiredAnswer = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InvalidArgument</Code><Message>Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4.</Message><ArgumentName>Authorization</ArgumentName><ArgumentValue>null</ArgumentValue><RequestId>7Q5T2D3K9Z8X1V0B</RequestId><HostId>Zm9vYmFyYmF6cXV4</HostId></Error>`

// S3AccessDeniedAnswer is Amazon S3's HTTP 403 answer when access control
// refuses a request (Amazon S3 API Reference, Error responses: code
// AccessDenied, "Access Denied"). moto enforces no IAM or bucket policy for
// signed requests, so a test that needs the refusal has the front give it.
const S3AccessDeniedAnswer = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4T8X0C2V6B1N3M5Q</RequestId><HostId>aG9zdGlk</HostId></Error>`

// writeSigV4Required answers as S3 does an unsigned GET of an SSE-KMS object.
func writeSigV4Required(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusBadRequest)
	io.WriteString(w, SigV4RequiredAnswer)
}

// WriteS3AccessDenied answers as S3 does a request access control refuses.
func WriteS3AccessDenied(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusForbidden)
	io.WriteString(w, S3AccessDeniedAnswer)
}

// WriteJSONAccessDenied answers as a JSON 1.1 protocol service (KMS,
// CloudTrail) refuses a call: HTTP 400 with an AccessDeniedException.
// message names the caller and the action, as AWS words it.
func WriteJSONAccessDenied(w http.ResponseWriter, message string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{"AccessDeniedException", message})
}

// Query protocol namespaces, the xmlns of each service's answers.
const (
	IAMNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	STSNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// WriteQueryAccessDenied answers as a query protocol service (IAM, STS)
// refuses a call: HTTP 403 with an ErrorResponse of code AccessDenied.
// namespace is the service's xmlns; message names the caller and the
// action, as AWS words it.
func WriteQueryAccessDenied(w http.ResponseWriter, namespace, message string) {
	var msg strings.Builder
	_ = xml.EscapeText(&msg, []byte(message))
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintf(w, `<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>%s</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>`, namespace, msg.String())
}
