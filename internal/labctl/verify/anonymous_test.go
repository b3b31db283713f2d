package verify

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/report"
	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
)

// TestAnonymousGetCheck judges S3's answers to the unsigned GET of lab
// task 4, as the observer records them (account.AnswerOf).
func TestAnonymousGetCheck(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		public   bool
		want     report.Status
		observed string
	}{
		{"real AWS answer for a public SSE-KMS object", 400, awswire.SigV4RequiredAnswer, true, report.Pass,
			"refused: HTTP 400 InvalidArgument: Requests specifying Server Side Encryption with AWS KMS managed keys require AWS Signature Version 4."},
		{"private object, access denied", 403, awswire.S3AccessDeniedAnswer, false, report.Pass, "refused: HTTP 403 AccessDenied: Access Denied"},
		{"public expected but access denied", 403, awswire.S3AccessDeniedAnswer, true, report.Warn,
			"refused by access control, not by SSE-KMS: HTTP 403 AccessDenied: Access Denied"},
		{"object served (what moto does)", 200, "\x89PNG\r\n\x1a\n....", true, report.Fail,
			"HTTP 200: the object was served to an anonymous caller (12 bytes read)"},
		{"some other 400", 400, `<Error><Code>InvalidRequest</Code><Message>Missing required header</Message></Error>`, true, report.Fail,
			"unexpected answer: HTTP 400 InvalidRequest: Missing required header"},
		{"object missing", 404, `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`, true, report.Fail,
			"unexpected answer: HTTP 404 NoSuchKey: The specified key does not exist."},
		{"redirect to another region is not followed", 301, `<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed using the specified endpoint.</Message></Error>`, true, report.Fail,
			"unexpected answer: HTTP 301 PermanentRedirect: The bucket you are attempting to access must be addressed using the specified endpoint."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := anonCheck(tt.status, []byte(tt.body), tt.public)
			assert.Equal(t, "object.anonymous-get", c.Name)
			assert.Equal(t, tt.want, c.Status)
			assert.Equal(t, tt.observed, c.Observed)
		})
	}
}
