package awsclient

import (
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
