package awsclient

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// AssumeRole is a stack's aws:assumeRole provider setting.
type AssumeRole struct {
	RoleARN     string
	SessionName string
	ExternalID  string
}

// provider assumes the role with cfg's credentials, caching the session
// until shortly before it expires.
func (a *AssumeRole) provider(cfg aws.Config) aws.CredentialsProvider {
	return aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), a.RoleARN, func(o *stscreds.AssumeRoleOptions) {
		if a.SessionName != "" {
			o.RoleSessionName = a.SessionName
		}
		if a.ExternalID != "" {
			o.ExternalID = aws.String(a.ExternalID)
		}
	}))
}

// assume swaps cfg's credentials for the role's and gets them at once, so
// that a refused sts:AssumeRole is reported as such, naming the role.
func (a *AssumeRole) assume(ctx context.Context, cfg aws.Config) (aws.CredentialsProvider, error) {
	p := a.provider(cfg)
	if _, err := p.Retrieve(ctx); err != nil {
		return nil, &Error{Err: err, Msg: fmt.Sprintf("cannot assume role %s (aws:assumeRole): %s", a.RoleARN, firstLine(Explain(err, Target{What: "sts:AssumeRole of " + a.RoleARN, Region: cfg.Region}).Error()))}
	}
	return p, nil
}
