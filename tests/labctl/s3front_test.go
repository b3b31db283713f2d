package labctl_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// awsFront is the shared front (S3's refusal of unsigned GETs of SSE-KMS
// objects) plus access-denied answers for chosen calls: moto does not
// enforce IAM or bucket policies for signed requests.
type awsFront struct {
	*mototest.Front
	// deny answers matching requests with the service's AccessDenied error.
	deny func(r *http.Request) (service string, ok bool)
}

func newAWSFront(t *testing.T, motoURL string) *awsFront {
	t.Helper()
	f := &awsFront{}
	f.Front = mototest.NewFront(t, motoURL, func(w http.ResponseWriter, r *http.Request) bool {
		if f.deny == nil {
			return false
		}
		service, ok := f.deny(r)
		if ok {
			writeAccessDenied(w, service)
		}
		return ok
	})
	return f
}

func writeAccessDenied(w http.ResponseWriter, service string) {
	if service == "kms" {
		awswire.WriteJSONAccessDenied(w, "User: arn:aws:iam::123456789012:user/AWSLabsUser-e2e is not authorized to perform this operation because no resource-based policy allows it")
		return
	}
	awswire.WriteS3AccessDenied(w)
}

// kmsTarget is the operation of a KMS JSON request, e.g. GetKeyPolicy.
func kmsTarget(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "TrentService.")
}
