package emulatorapply

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kms-lab/kms-lab/internal/plan"
)

// keyInputs are the aws:kms/key:Key inputs the applier understands.
type keyInputs struct {
	CustomerMasterKeySpec string            `json:"customerMasterKeySpec"`
	KeyUsage              string            `json:"keyUsage"`
	Description           string            `json:"description"`
	Policy                any               `json:"policy"`
	Tags                  map[string]string `json:"tags"`
	EnableKeyRotation     bool              `json:"enableKeyRotation"`
	RotationPeriodInDays  *int32            `json:"rotationPeriodInDays"`
	IsEnabled             *bool             `json:"isEnabled"`
	MultiRegion           *bool             `json:"multiRegion"`
	// DeletionWindowInDays only matters to ScheduleKeyDeletion at destroy
	// time, which the applier never does.
	DeletionWindowInDays *int32 `json:"deletionWindowInDays"`
}

// createKey makes the calls the provider makes for a key: CreateKey with
// the policy and tags, then EnableKeyRotation, then DisableKey when the key
// is to be disabled.
func createKey(ctx context.Context, a *applier, r plan.Resource, in *keyInputs) (string, error) {
	policy, err := policyJSON(in.Policy)
	if err != nil {
		return "", err
	}
	input := &kms.CreateKeyInput{
		Description: aws.String(in.Description),
		Policy:      aws.String(policy),
		KeySpec:     kmstypes.KeySpec(in.CustomerMasterKeySpec),
		KeyUsage:    kmstypes.KeyUsageType(in.KeyUsage),
		MultiRegion: in.MultiRegion,
		Tags:        kmsTags(in.Tags),
	}
	created, err := a.clients.kms.CreateKey(ctx, input)
	if err != nil {
		return "", fmt.Errorf("kms CreateKey: %w", err)
	}
	id, arn := aws.ToString(created.KeyMetadata.KeyId), aws.ToString(created.KeyMetadata.Arn)
	mock, err := a.mockOutputs(r.Type, r.Name, r.Inputs)
	if err != nil {
		return "", err
	}
	a.replace.add(mock["arn"], arn)
	a.replace.add(mock["keyId"], id)

	if in.EnableKeyRotation {
		if _, err := a.clients.kms.EnableKeyRotation(ctx, &kms.EnableKeyRotationInput{KeyId: aws.String(id), RotationPeriodInDays: in.RotationPeriodInDays}); err != nil {
			return "", fmt.Errorf("kms EnableKeyRotation %s: %w", id, err)
		}
	}
	if in.IsEnabled != nil && !*in.IsEnabled {
		if _, err := a.clients.kms.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(id)}); err != nil {
			return "", fmt.Errorf("kms DisableKey %s: %w", id, err)
		}
	}
	return id, nil
}

func kmsTags(tags map[string]string) []kmstypes.Tag {
	var out []kmstypes.Tag
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, kmstypes.Tag{TagKey: aws.String(k), TagValue: aws.String(tags[k])})
	}
	return out
}

// aliasInputs are the aws:kms/alias:Alias inputs the applier understands.
type aliasInputs struct {
	Name        string `json:"name"`
	TargetKeyID string `json:"targetKeyId"`
}

func createAlias(ctx context.Context, a *applier, _ plan.Resource, in *aliasInputs) (string, error) {
	if _, err := a.clients.kms.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String(in.Name), TargetKeyId: aws.String(in.TargetKeyID)}); err != nil {
		return "", fmt.Errorf("kms CreateAlias %s -> %s: %w", in.Name, in.TargetKeyID, err)
	}
	return in.Name, nil
}
