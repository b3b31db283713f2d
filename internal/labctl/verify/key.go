package verify

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

func (v *Verifier) keyChecks(ctx context.Context) []Check {
	o := v.Outputs
	what := "KMS key " + o.KeyID
	desc, err := v.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(o.KeyID)})
	if err != nil {
		// Without the key nothing else about it can be checked, but the
		// alias can still be looked at: it may point elsewhere.
		return []Check{v.apiFailed("key.exists", o.KeyARN, err, what), v.aliasCheck(ctx)}
	}
	checks := keyMetadataChecks(desc.KeyMetadata, o.KeyARN)

	if v.Guide != nil {
		// The guide sets a description and leaves rotation at the
		// console's default.
		if desc.KeyMetadata != nil {
			checks = append(checks, descriptionCheck(desc.KeyMetadata, v.Guide.Description))
		}
	} else if rot, err := v.KMS.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: aws.String(o.KeyID)}); err != nil {
		checks = append(checks, v.apiFailed("key.rotation", onOff(o.KeyRotationEnabled), err, "rotation status of "+what))
	} else {
		checks = append(checks, compare("key.rotation", onOff(o.KeyRotationEnabled), onOff(rot.KeyRotationEnabled)))
	}

	checks = append(checks, v.aliasCheck(ctx))

	pol, err := v.KMS.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: aws.String(o.KeyID), PolicyName: aws.String("default")})
	if err != nil {
		return append(checks, v.apiFailed("key.policy", "the console's default key policy", err, "key policy of "+what))
	}
	if v.Guide != nil {
		return append(checks, guideKeyPolicyChecks(aws.ToString(pol.Policy), o, v.Guide.Student)...)
	}
	return append(checks, keyPolicyChecks(aws.ToString(pol.Policy), o)...)
}

// keyMetadataChecks judges DescribeKey's answer.
func keyMetadataChecks(md *kmstypes.KeyMetadata, wantARN string) []Check {
	if md == nil {
		return []Check{failed("key.exists", wantARN, "DescribeKey returned no metadata")}
	}
	specCheck := keySpecCheck(md)
	state := string(md.KeyState)
	if md.KeyState == kmstypes.KeyStatePendingDeletion && md.DeletionDate != nil {
		state += " (deletion on " + md.DeletionDate.UTC().Format("2006-01-02") + ")"
	}
	return []Check{
		compare("key.exists", wantARN, aws.ToString(md.Arn)),
		compare("key.state", string(kmstypes.KeyStateEnabled), state),
		specCheck,
	}
}

func (v *Verifier) aliasCheck(ctx context.Context) Check {
	o := v.Outputs
	expected := o.KeyAlias + " -> " + o.KeyID
	out, err := v.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(o.KeyAlias)})
	if err != nil {
		return v.apiFailed("key.alias", expected, err, "KMS alias "+o.KeyAlias)
	}
	return compare("key.alias", expected, o.KeyAlias+" -> "+aws.ToString(out.KeyMetadata.KeyId))
}

// keySpecCheck wants a symmetric encryption key. KeyUsage is inferred from
// the encryption algorithms when it is not reported (moto omits it for keys
// created without an explicit KeyUsage); the observed text says so.
func keySpecCheck(md *kmstypes.KeyMetadata) Check {
	const want = "SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT"
	spec := string(md.KeySpec)
	if spec == "" {
		// Older keys only fill the deprecated field.
		//lint:ignore SA1019 KeySpec's predecessor is the only spec an older key reports
		spec = string(md.CustomerMasterKeySpec)
	}
	usage, note := string(md.KeyUsage), ""
	if usage == "" && slices.Contains(md.EncryptionAlgorithms, kmstypes.EncryptionAlgorithmSpecSymmetricDefault) {
		usage, note = string(kmstypes.KeyUsageTypeEncryptDecrypt), " (KeyUsage not reported; inferred from EncryptionAlgorithms)"
	}
	c := compare("key.spec", want, spec+", "+usage)
	c.Observed += note
	return c
}
