package class

import (
	"context"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// ReachStack connects to a stack's account as its stack file says (profile,
// region, aws:assumeRole) and proves the credentials are that account's, so
// class status and class clean never act on an account the class file does
// not name. A stack file without an account takes the caller's. The error
// is the first of connecting, asking STS who the caller is, or a mismatch.
func ReachStack(ctx context.Context, connect awsclient.Connector, st classes.Stack, endpoint string) (*awsclient.Clients, awsclient.Identity, error) {
	clients, err := connect(ctx, awsclient.Options{Profile: st.Profile, Region: st.Region, EndpointURL: endpoint, AssumeRole: assumeRole(st.AssumeRole)}, st.Region)
	if err != nil {
		return nil, awsclient.Identity{}, err
	}
	id, err := clients.WhoAmI(ctx)
	if err != nil {
		return nil, awsclient.Identity{}, err
	}
	account := st.Account
	if account == "" {
		account = id.Account
	}
	if err := id.CheckAccount(account); err != nil {
		return nil, id, err
	}
	return clients, id, nil
}

// assumeRole is the stack file's aws:assumeRole as the AWS clients take it;
// nil when the file has none.
func assumeRole(r *classes.AssumeRole) *awsclient.AssumeRole {
	if r == nil {
		return nil
	}
	return &awsclient.AssumeRole{RoleARN: r.RoleARN, SessionName: r.SessionName, ExternalID: r.ExternalID}
}
