package components

import (
	"fmt"

	"github.com/kms-lab/kms-lab/policies"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// EncryptionKeyArgs configures the lab's symmetric KMS key.
type EncryptionKeyArgs struct {
	// Alias is the alias name without "alias/".
	Alias              string
	Description        string
	DeletionWindowDays int
	Rotation           bool
	Partition          string
	AccountID          string
	// Administrators and Users are IAM principal ARNs; empty drops their
	// statements from the key policy (the account root statement stays).
	Administrators []string
	Users          []string
	Tags           map[string]string
}

// EncryptionKey is a symmetric ENCRYPT_DECRYPT KMS key with the console's
// default key policy and an alias.
type EncryptionKey struct {
	pulumi.ResourceState

	Key   *kms.Key
	Alias *kms.Alias

	KeyID     pulumi.StringOutput `pulumi:"keyId"`
	KeyARN    pulumi.StringOutput `pulumi:"keyArn"`
	AliasName pulumi.StringOutput `pulumi:"aliasName"`
}

// NewEncryptionKey creates the key, its policy and its alias.
func NewEncryptionKey(ctx *pulumi.Context, name string, args *EncryptionKeyArgs, opts ...pulumi.ResourceOption) (*EncryptionKey, error) {
	if args == nil {
		return nil, fmt.Errorf("encryption key %s: args are required", name)
	}
	doc, err := policies.KeyPolicy(policies.KeyPolicyArgs{
		Partition:      args.Partition,
		AccountID:      args.AccountID,
		Administrators: args.Administrators,
		Users:          args.Users,
	})
	if err != nil {
		return nil, fmt.Errorf("encryption key %s: key policy: %w", name, err)
	}
	policyJSON, err := policies.Render(doc)
	if err != nil {
		return nil, fmt.Errorf("encryption key %s: render key policy: %w", name, err)
	}

	k := &EncryptionKey{}
	if err := ctx.RegisterComponentResource(EncryptionKeyType, name, k, opts...); err != nil {
		return nil, fmt.Errorf("encryption key %s: %w", name, err)
	}
	k.Key, err = kms.NewKey(ctx, name, &kms.KeyArgs{
		Description:           pulumi.String(args.Description),
		KeyUsage:              pulumi.String("ENCRYPT_DECRYPT"),
		CustomerMasterKeySpec: pulumi.String("SYMMETRIC_DEFAULT"),
		DeletionWindowInDays:  pulumi.Int(args.DeletionWindowDays),
		EnableKeyRotation:     pulumi.Bool(args.Rotation),
		IsEnabled:             pulumi.Bool(true),
		Policy:                pulumi.String(policyJSON),
		Tags:                  stringMap(args.Tags),
	}, pulumi.Parent(k))
	if err != nil {
		return nil, fmt.Errorf("encryption key %s: key: %w", name, err)
	}
	k.Alias, err = kms.NewAlias(ctx, name, &kms.AliasArgs{
		Name:        pulumi.String("alias/" + args.Alias),
		TargetKeyId: k.Key.KeyId,
	}, pulumi.Parent(k))
	if err != nil {
		return nil, fmt.Errorf("encryption key %s: alias: %w", name, err)
	}
	k.KeyID = k.Key.KeyId
	k.KeyARN = k.Key.Arn
	k.AliasName = k.Alias.Name
	if err := ctx.RegisterResourceOutputs(k, pulumi.Map{
		"keyId":     k.KeyID,
		"keyArn":    k.KeyARN,
		"aliasName": k.AliasName,
	}); err != nil {
		return nil, fmt.Errorf("encryption key %s: register outputs: %w", name, err)
	}
	return k, nil
}
