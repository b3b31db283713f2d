package awswire

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
)

// The request IDs of every answer: AWS sends one with each; nothing reads
// these.
const (
	requestID = "7Q5T2D3K9Z8X1V0B"
	hostID    = "Zm9vYmFyYmF6cXV4"
)

// S3Error is Amazon S3's REST error document (Amazon S3 API Reference,
// "Error responses": Code, Message, RequestId, HostId). S3 adds the
// argument at fault to an InvalidArgument.
type S3Error struct {
	XMLName       xml.Name `xml:"Error"`
	Code          string
	Message       string
	ArgumentName  string `xml:",omitempty"`
	ArgumentValue string `xml:",omitempty"`
	RequestID     string `xml:"RequestId"`
	HostID        string `xml:"HostId"`
}

// Body is e as S3 sends it, XML declaration first.
func (e S3Error) Body() string {
	e.RequestID, e.HostID = requestID, hostID
	b, _ := xml.Marshal(e) // strings only: cannot fail
	return xml.Header + string(b)
}

// WriteS3Error answers as S3 does with status and e. To a HEAD, net/http
// sends the status and headers alone, as S3 does.
func WriteS3Error(w http.ResponseWriter, status int, e S3Error) {
	write(w, status, "application/xml", e.Body())
}

// WriteJSONError answers as a JSON 1.1 protocol service (KMS, CloudTrail)
// does an error: {"__type": code, "message": message} (AWS KMS API
// Reference and AWS CloudTrail API Reference, "Common Errors").
func WriteJSONError(w http.ResponseWriter, status int, code, message string) {
	body, _ := json.Marshal(map[string]string{"__type": code, "message": message})
	write(w, status, "application/x-amz-json-1.1", string(body))
}

// Query protocol namespaces, the xmlns of each service's answers.
const (
	IAMNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	STSNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// WriteQueryError answers as a query protocol service (IAM, STS) does an
// error: an ErrorResponse of type Sender (IAM and STS API References,
// "Common Errors"). namespace is the service's xmlns, or "" for none.
func WriteQueryError(w http.ResponseWriter, status int, namespace, code, message string) {
	xmlns := ""
	if namespace != "" {
		xmlns = ` xmlns="` + namespace + `"`
	}
	write(w, status, "text/xml", fmt.Sprintf(`<ErrorResponse%s><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>`+
		`<RequestId>%s</RequestId></ErrorResponse>`, xmlns, code, html.EscapeString(message), requestID))
}

func write(w http.ResponseWriter, status int, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
