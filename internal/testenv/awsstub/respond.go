package awsstub

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"strings"
)

// stringResponse answers with status, contentType and body.
func stringResponse(status int, contentType, body string) Responder {
	return func(r *Request) (*http.Response, error) {
		h := http.Header{}
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		h.Set("X-Amzn-Requestid", "stub-request")
		return &http.Response{
			StatusCode:    status,
			Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
			Header:        h,
			Body:          http.NoBody,
			ContentLength: int64(len(body)),
			Request:       r.Request,
		}, nil
	}
}

// withBody gives resp's answers body, fresh for every call.
func withBody(resp Responder, body []byte) Responder {
	return func(r *Request) (*http.Response, error) {
		out, err := resp(r)
		if err == nil {
			out.Body = newBody(body)
			out.ContentLength = int64(len(body))
		}
		return out, err
	}
}

// JSONResponse answers a JSON-protocol call with v, marshalled.
func JSONResponse(v any) Responder {
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("awsstub: JSONResponse: %v", err))
	}
	return withBody(stringResponse(http.StatusOK, "application/x-amz-json-1.1", ""), data)
}

// JSONError answers a JSON-protocol call with the error shape KMS and
// CloudTrail use: {"__type": code, "message": message}.
func JSONError(status int, code, message string) Responder {
	data, _ := json.Marshal(map[string]string{"__type": code, "message": message})
	return withBody(stringResponse(status, "application/x-amz-json-1.1", ""), data)
}

// queryResponse answers a query-protocol action with its result element's
// inner XML: queryResponse("GetCallerIdentity", "<Account>1</Account>").
func queryResponse(action, resultXML string) Responder {
	body := fmt.Sprintf(`<%[1]sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><%[1]sResult>%[2]s</%[1]sResult>`+
		`<ResponseMetadata><RequestId>stub-request</RequestId></ResponseMetadata></%[1]sResponse>`, action, resultXML)
	return withBody(stringResponse(http.StatusOK, "text/xml", ""), []byte(body))
}

// queryError answers a query-protocol call with its error shape.
func queryError(status int, code, message string) Responder {
	body := fmt.Sprintf(`<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>`+
		`<RequestId>stub-request</RequestId></ErrorResponse>`, code, html.EscapeString(message))
	return withBody(stringResponse(status, "text/xml", ""), []byte(body))
}

// XMLResponse answers an S3 call with an XML document.
func XMLResponse(status int, body string) Responder {
	return withBody(stringResponse(status, "application/xml", ""), []byte(body))
}

// S3Error answers an S3 call with S3's error shape.
func S3Error(status int, code, message string) Responder {
	return XMLResponse(status, fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><RequestId>stub-request</RequestId></Error>`,
		code, html.EscapeString(message)))
}

// BytesResponse answers with a binary body (an S3 object) and headers.
func BytesResponse(status int, body []byte, header map[string]string) Responder {
	return func(r *Request) (*http.Response, error) {
		out, err := stringResponse(status, "", "")(r)
		if err != nil {
			return nil, err
		}
		for k, v := range header {
			out.Header.Set(k, v)
		}
		out.Body = newBody(body)
		out.ContentLength = int64(len(body))
		return out, nil
	}
}

// Header answers with status, headers and no body (an S3 HEAD).
func Header(status int, header map[string]string) Responder {
	return BytesResponse(status, nil, header)
}

// Identity answers sts:GetCallerIdentity for arn.
func Identity(account, arn string) Responder {
	return queryResponse("GetCallerIdentity", fmt.Sprintf("<Arn>%s</Arn><UserId>AIDASTUB</UserId><Account>%s</Account>",
		html.EscapeString(arn), account))
}

func newBody(b []byte) *readCloser { return &readCloser{Reader: strings.NewReader(string(b))} }

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }
