package verify

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

// TestCauses: the cause of a failure is decided from AWS's answer, not
// from the Observed text. The values are S3's (Amazon S3 API Reference,
// HeadObject: x-amz-server-side-encryption is AES256, aws:kms or
// aws:kms:dsse; PutObjectAcl: AllUsers' URI and the permissions READ,
// WRITE, READ_ACP, WRITE_ACP, FULL_CONTROL).
func TestCauses(t *testing.T) {
	o := &stackout.Outputs{KeyID: "1234abcd-12ab-34cd-56ef-1234567890ab",
		KeyARN: "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
	other := "arn:aws:kms:us-west-2:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"
	allUsers := &s3types.Grantee{Type: s3types.TypeGroup, URI: aws.String(allUsers)}
	tests := []struct {
		name       string
		check      Check
		wantStatus report.Status
		wantCause  string
	}{
		{"SSE-S3", headCheck(&s3.HeadObjectOutput{ServerSideEncryption: s3types.ServerSideEncryptionAes256}, o),
			report.Fail, "object.encryption=sse-s3"},
		{"SSE-KMS with another key", headCheck(&s3.HeadObjectOutput{ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(other)}, o),
			report.Fail, "object.encryption=other-kms-key"},
		{"no server-side encryption", headCheck(&s3.HeadObjectOutput{}, o), report.Fail, "object.encryption=none"},
		{"DSSE-KMS: the check's name", headCheck(&s3.HeadObjectOutput{ServerSideEncryption: s3types.ServerSideEncryptionAwsKmsDsse, SSEKMSKeyId: aws.String(o.KeyARN)}, o),
			report.Fail, ""},
		{"SSE-KMS with the lab's key passes, without a cause", headCheck(&s3.HeadObjectOutput{ServerSideEncryption: s3types.ServerSideEncryptionAwsKms, SSEKMSKeyId: aws.String(o.KeyARN)}, o),
			report.Pass, ""},
		{"served to an anonymous caller", anonCheck(http.StatusOK, []byte("image"), true), report.Fail, "object.anonymous-get=served"},
		{"refused by access control", anonCheck(http.StatusForbidden,
			[]byte("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"), true), report.Warn, "object.anonymous-get=access-control"},
		{"advanced event selectors where basic ones are expected", selCheck(&cloudtrail.GetEventSelectorsOutput{
			AdvancedEventSelectors: []cttypes.AdvancedEventSelector{{Name: aws.String("Management events selector")}}}, &stackout.Outputs{Partition: "aws"}),
			report.Warn, "trail.event-selectors=advanced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.wantStatus, tt.check.Status, tt.check.Observed)
			assert.Equal(t, tt.wantCause, tt.check.Cause)
		})
	}

	acls := []struct {
		name   string
		grants []s3types.Grant
		want   string
	}{
		{"AllUsers READ and WRITE", []s3types.Grant{{Grantee: allUsers, Permission: s3types.PermissionRead}, {Grantee: allUsers, Permission: s3types.PermissionWrite}}, "object.acl=beyond-read"},
		{"AllUsers FULL_CONTROL", []s3types.Grant{{Grantee: allUsers, Permission: s3types.PermissionFullControl}}, "object.acl=beyond-read"},
		{"not public: the check's name", nil, ""},
	}
	for _, tt := range acls {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, aclCause(account.GrantsOf(tt.grants))) })
	}
}
