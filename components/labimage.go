package components

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// LabImageArgs configures the image the lab encrypts and tries to open.
type LabImageArgs struct {
	Bucket      pulumi.StringInput
	Key         string
	Path        string
	ContentType string
	KMSKeyARN   pulumi.StringInput
	// PublicRead grants public-read by ACL (lab task 4).
	PublicRead bool
	// ACLReady must exist before the ACL is set: the ownership controls
	// (else AccessControlListNotSupported) and the public access block (else
	// AccessDenied on a public ACL).
	ACLReady []pulumi.Resource
}

// LabImage is the SSE-KMS encrypted image object.
type LabImage struct {
	pulumi.ResourceState

	Object *s3.BucketObjectv2

	ObjectKey pulumi.StringOutput `pulumi:"objectKey"`
}

// NewLabImage uploads the image.
func NewLabImage(ctx *pulumi.Context, name string, args *LabImageArgs, opts ...pulumi.ResourceOption) (*LabImage, error) {
	if args == nil {
		return nil, fmt.Errorf("lab image %s: args are required", name)
	}
	img := &LabImage{}
	if err := ctx.RegisterComponentResource(LabImageType, name, img, opts...); err != nil {
		return nil, fmt.Errorf("lab image %s: %w", name, err)
	}
	objArgs := &s3.BucketObjectv2Args{
		Bucket:               args.Bucket,
		Key:                  pulumi.String(args.Key),
		Source:               pulumi.NewFileAsset(args.Path),
		ContentType:          pulumi.String(args.ContentType),
		ServerSideEncryption: pulumi.String("aws:kms"),
		KmsKeyId:             args.KMSKeyARN,
		// An S3 Bucket Key would make the encryption context the bucket ARN;
		// lab task 5 looks for the object's own ARN next to the key ID.
		BucketKeyEnabled: pulumi.Bool(false),
		// No tags: S3 allows only 10 per object and tagging on upload needs
		// s3:PutObjectTagging; the bucket carries the stack's tags.
	}
	if args.PublicRead {
		objArgs.Acl = pulumi.String("public-read")
	} else {
		objArgs.Acl = pulumi.String("private")
	}
	var err error
	img.Object, err = s3.NewBucketObjectv2(ctx, name, objArgs, pulumi.Parent(img), pulumi.DependsOn(args.ACLReady))
	if err != nil {
		return nil, fmt.Errorf("lab image %s: object: %w", name, err)
	}
	img.ObjectKey = img.Object.Key
	if err := ctx.RegisterResourceOutputs(img, pulumi.Map{"objectKey": img.ObjectKey}); err != nil {
		return nil, fmt.Errorf("lab image %s: register outputs: %w", name, err)
	}
	return img, nil
}
