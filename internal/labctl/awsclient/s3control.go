package awsclient

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3control"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
)

// emulatorS3Control resolves S3 Control endpoints for an emulator. AWS
// addresses S3 Control as https://ACCOUNT.s3-control.REGION.amazonaws.com; on
// a custom endpoint the SDK prepends the account to the emulator's host
// (ACCOUNT.127.0.0.1), which does not resolve. The account also travels in
// the x-amz-account-id header, which emulators read, so the prefix is
// dropped and the rest of the resolution (signing properties) kept.
type emulatorS3Control struct {
	next s3control.EndpointResolverV2
}

func (r emulatorS3Control) ResolveEndpoint(ctx context.Context, params s3control.EndpointParameters) (smithyendpoints.Endpoint, error) {
	ep, err := r.next.ResolveEndpoint(ctx, params)
	if err != nil || params.AccountId == nil {
		return ep, err
	}
	ep.URI.Host = strings.TrimPrefix(ep.URI.Host, *params.AccountId+".")
	return ep, nil
}
