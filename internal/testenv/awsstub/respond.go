package awsstub

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"

	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
)

// written answers with what write writes, as a server would send it; each
// call gets a fresh body.
func written(write func(w http.ResponseWriter)) Responder {
	return func(r *Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		write(rec)
		resp := rec.Result()
		resp.Header.Set("X-Amzn-Requestid", "stub-request")
		resp.ContentLength = int64(rec.Body.Len())
		resp.Request = r.Request
		return resp, nil
	}
}

// BytesResponse answers with a binary body (an S3 object) and headers.
func BytesResponse(status int, body []byte, header map[string]string) Responder {
	return written(func(w http.ResponseWriter) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

// Header answers with status, headers and no body (an S3 HEAD).
func Header(status int, header map[string]string) Responder {
	return BytesResponse(status, nil, header)
}

// JSONResponse answers a JSON-protocol call with v, marshalled.
func JSONResponse(v any) Responder {
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("awsstub: JSONResponse: %v", err))
	}
	return BytesResponse(http.StatusOK, data, map[string]string{"Content-Type": "application/x-amz-json-1.1"})
}

// JSONError answers a JSON-protocol call with the error shape KMS and
// CloudTrail use: {"__type": code, "message": message}.
func JSONError(status int, code, message string) Responder {
	return written(func(w http.ResponseWriter) { awswire.WriteJSONError(w, status, code, message) })
}

// queryResponse answers a query-protocol action with its result element's
// inner XML: queryResponse("GetCallerIdentity", "<Account>1</Account>").
func queryResponse(action, resultXML string) Responder {
	body := fmt.Sprintf(`<%[1]sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><%[1]sResult>%[2]s</%[1]sResult>`+
		`<ResponseMetadata><RequestId>stub-request</RequestId></ResponseMetadata></%[1]sResponse>`, action, resultXML)
	return BytesResponse(http.StatusOK, []byte(body), map[string]string{"Content-Type": "text/xml"})
}

// queryError answers a query-protocol call with its error shape.
func queryError(status int, code, message string) Responder {
	return written(func(w http.ResponseWriter) { awswire.WriteQueryError(w, status, "", code, message) })
}

// XMLResponse answers an S3 call with an XML document.
func XMLResponse(status int, body string) Responder {
	return BytesResponse(status, []byte(body), map[string]string{"Content-Type": "application/xml"})
}

// S3Error answers an S3 call with S3's error shape.
func S3Error(status int, code, message string) Responder {
	return written(func(w http.ResponseWriter) {
		awswire.WriteS3Error(w, status, awswire.S3Error{Code: code, Message: message})
	})
}

// Identity answers sts:GetCallerIdentity for arn.
func Identity(account, arn string) Responder {
	return queryResponse("GetCallerIdentity", fmt.Sprintf("<Arn>%s</Arn><UserId>AIDASTUB</UserId><Account>%s</Account>",
		html.EscapeString(arn), account))
}
