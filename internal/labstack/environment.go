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
	// CallerARN is who runs pulumi up; Principal is the IAM ARN that may
	// appear in a key policy for it (an assumed-role session's role).
	CallerARN string
	Principal string
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
	// Session ARNs (arn:aws:sts::...:assumed-role/Role/session) are not valid
	// key-policy principals; IAM's session context gives the role ARN with
	// its path, and echoes any other ARN unchanged.
	session, err := iam.GetSessionContext(ctx, &iam.GetSessionContextArgs{Arn: caller.Arn})
	if err != nil {
		return nil, fmt.Errorf("map the deploying principal %s to an IAM ARN (aws.iam.getSessionContext): %w", caller.Arn, err)
	}
	if session.IssuerArn == "" {
		return nil, fmt.Errorf("map the deploying principal %s to an IAM ARN: getSessionContext returned no issuer ARN", caller.Arn)
	}
	return &Environment{
		AccountID: caller.AccountId,
		Partition: part.Partition,
		DNSSuffix: part.DnsSuffix,
		Region:    region.Name,
		CallerARN: caller.Arn,
		Principal: session.IssuerArn,
	}, nil
}
