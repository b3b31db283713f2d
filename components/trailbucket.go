package components

import (
	"fmt"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/policies"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ObjectOwnershipACLsEnabled is the console's "ACLs enabled" (lab task 4):
// objects written with bucket-owner-full-control belong to the bucket owner,
// and object ACLs take effect.
const ObjectOwnershipACLsEnabled = "BucketOwnerPreferred"

// DefaultBucketEncryption is SSE-S3, the bucket's default encryption.
const DefaultBucketEncryption = "AES256"

// TrailBucketArgs configures the bucket CloudTrail writes to and the lab
// image lives in.
type TrailBucketArgs struct {
	// BucketName is an exact name; when empty AWS generates one from
	// BucketNamePrefix.
	BucketName       string
	BucketNamePrefix string
	ForceDestroy     bool
	PublicAccess     config.PublicAccessBlock
	// ObjectOwnership is BucketOwnerPreferred for the lab: ACLs enabled.
	ObjectOwnership string
	// Partition, Region, AccountID and TrailName build the trail ARN that the
	// bucket policy's aws:SourceArn condition names.
	Partition string
	Region    string
	AccountID string
	TrailName string
	Tags      map[string]string
}

// TrailBucket is an S3 bucket with SSE-S3 default encryption, ACLs enabled,
// the chosen Block Public Access settings and a policy that lets CloudTrail
// deliver logs.
type TrailBucket struct {
	pulumi.ResourceState

	Bucket            *s3.BucketV2
	Encryption        *s3.BucketServerSideEncryptionConfigurationV2
	OwnershipControls *s3.BucketOwnershipControls
	PublicAccessBlock *s3.BucketPublicAccessBlock
	Policy            *s3.BucketPolicy

	BucketName pulumi.StringOutput `pulumi:"bucketName"`
	BucketARN  pulumi.StringOutput `pulumi:"bucketArn"`
}

// NewTrailBucket creates the bucket and its settings.
func NewTrailBucket(ctx *pulumi.Context, name string, args *TrailBucketArgs, opts ...pulumi.ResourceOption) (*TrailBucket, error) {
	if args == nil {
		return nil, fmt.Errorf("trail bucket %s: args are required", name)
	}
	b := &TrailBucket{}
	if err := ctx.RegisterComponentResource(TrailBucketType, name, b, opts...); err != nil {
		return nil, fmt.Errorf("trail bucket %s: %w", name, err)
	}
	bucketArgs := &s3.BucketV2Args{
		ForceDestroy: pulumi.Bool(args.ForceDestroy),
		Tags:         stringMap(args.Tags),
	}
	if args.BucketName != "" {
		bucketArgs.Bucket = pulumi.String(args.BucketName)
	} else {
		bucketArgs.BucketPrefix = pulumi.String(args.BucketNamePrefix)
	}
	var err error
	b.Bucket, err = s3.NewBucketV2(ctx, name, bucketArgs, pulumi.Parent(b))
	if err != nil {
		return nil, fmt.Errorf("trail bucket %s: bucket: %w", name, err)
	}
	b.BucketName = b.Bucket.Bucket
	b.BucketARN = b.Bucket.Arn

	// S3 applies one configuration change to a bucket at a time and answers
	// OperationAborted ("A conflicting conditional operation is currently in
	// progress") to a concurrent one; the provider's retries are bounded
	// (terraform-provider-aws #7628, #26805, #36873). So every bucket-level
	// resource waits for the one before it: bucket -> ownership controls ->
	// public access block -> policy -> default encryption.
	after := func(r pulumi.Resource) pulumi.ResourceOption { return pulumi.DependsOn([]pulumi.Resource{r}) }

	b.OwnershipControls, err = s3.NewBucketOwnershipControls(ctx, name, &s3.BucketOwnershipControlsArgs{
		Bucket: b.Bucket.ID(),
		Rule: &s3.BucketOwnershipControlsRuleArgs{
			ObjectOwnership: pulumi.String(args.ObjectOwnership),
		},
	}, pulumi.Parent(b), after(b.Bucket))
	if err != nil {
		return nil, fmt.Errorf("trail bucket %s: ownership controls: %w", name, err)
	}
	b.PublicAccessBlock, err = s3.NewBucketPublicAccessBlock(ctx, name, &s3.BucketPublicAccessBlockArgs{
		Bucket:                b.Bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(args.PublicAccess.BlockPublicACLs),
		IgnorePublicAcls:      pulumi.Bool(args.PublicAccess.IgnorePublicACLs),
		BlockPublicPolicy:     pulumi.Bool(args.PublicAccess.BlockPublicPolicy),
		RestrictPublicBuckets: pulumi.Bool(args.PublicAccess.RestrictPublicBuckets),
	}, pulumi.Parent(b), after(b.OwnershipControls))
	if err != nil {
		return nil, fmt.Errorf("trail bucket %s: public access block: %w", name, err)
	}

	policyJSON := b.Bucket.Bucket.ApplyT(func(bucket string) (string, error) {
		doc, err := policies.TrailBucketPolicy(policies.TrailBucketPolicyArgs{
			Partition:  args.Partition,
			Region:     args.Region,
			AccountID:  args.AccountID,
			BucketName: bucket,
			TrailName:  args.TrailName,
		})
		if err != nil {
			return "", fmt.Errorf("trail bucket %s: bucket policy: %w", name, err)
		}
		return policies.Render(doc)
	}).(pulumi.StringOutput)
	b.Policy, err = s3.NewBucketPolicy(ctx, name, &s3.BucketPolicyArgs{
		Bucket: b.Bucket.ID(),
		Policy: policyJSON,
	}, pulumi.Parent(b), after(b.PublicAccessBlock))
	if err != nil {
		return nil, fmt.Errorf("trail bucket %s: policy: %w", name, err)
	}

	// SSE-S3, not SSE-KMS: the lab turns log-file SSE-KMS off, and the image
	// overrides the default with its own SSE-KMS header.
	b.Encryption, err = s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name, &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: b.Bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{
			&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
				ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
					SseAlgorithm: pulumi.String(DefaultBucketEncryption),
				},
			},
		},
	}, pulumi.Parent(b), after(b.Policy))
	if err != nil {
		return nil, fmt.Errorf("trail bucket %s: encryption: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(b, pulumi.Map{
		"bucketName": b.BucketName,
		"bucketArn":  b.BucketARN,
	}); err != nil {
		return nil, fmt.Errorf("trail bucket %s: register outputs: %w", name, err)
	}
	return b, nil
}
