package labstack

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Environment is what the AWS data sources report about the deployment
// target. Nothing here is a resource, so reading it registers nothing.
type Environment struct {
	AccountID string
	Partition string
	DNSSuffix string
	Region    string
	// CallerARN is who runs pulumi up, as STS reports it.
	CallerARN string
}

// discover asks the provider where and as whom the stack deploys.
func discover(ctx *pulumi.Context) (*Environment, error) {
	caller, err := aws.GetCallerIdentity(ctx, &aws.GetCallerIdentityArgs{})
	if err != nil {
		return nil, fmt.Errorf("look up the deploying principal (aws.getCallerIdentity): %w", err)
	}
	part, err := aws.GetPartition(ctx, &aws.GetPartitionArgs{})
	if err != nil {
		return nil, fmt.Errorf("look up the AWS partition (aws.getPartition): %w", err)
	}
	region, err := aws.GetRegion(ctx, &aws.GetRegionArgs{})
	if err != nil {
		return nil, fmt.Errorf("look up the AWS region (aws.getRegion): %w", err)
	}
	return &Environment{
		AccountID: caller.AccountId,
		Partition: part.Partition,
		DNSSuffix: part.DnsSuffix,
		Region:    region.Name,
		CallerARN: caller.Arn,
	}, nil
}

// deployerPrincipal maps the caller to the IAM ARN a key policy may name
// for it. Session ARNs (arn:aws:sts::...:assumed-role/Role/session) are not
// valid key-policy principals; IAM's session context gives the role ARN with
// its path (for which the provider calls iam:GetRole), and echoes any other
// ARN unchanged. Only called when the config names the deployer, so a stack
// that lists its principals needs no IAM read permission.
func deployerPrincipal(ctx *pulumi.Context, callerARN string) (string, error) {
	session, err := iam.GetSessionContext(ctx, &iam.GetSessionContextArgs{Arn: callerARN})
	if err != nil {
		return "", fmt.Errorf("map the deploying principal %s to an IAM ARN (aws.iam.getSessionContext, which needs iam:GetRole for an assumed role): %w", callerARN, err)
	}
	if session.IssuerArn == "" {
		return "", fmt.Errorf("map the deploying principal %s to an IAM ARN: getSessionContext returned no issuer ARN", callerARN)
	}
	return session.IssuerArn, nil
}
