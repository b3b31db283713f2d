package account

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
)

// observeKey reads the key: by the outputs' key ID and its alias apart
// (verify), or through the alias alone (check, clean), whose DescribeKey
// answers both.
func (o *Observer) observeKey(ctx context.Context, s *Snapshot, r Reads) {
	c := o.Clients.KMS
	k := &s.Key
	alias := s.Names.Alias
	ref, what := s.Names.KeyID, "KMS key "+s.Names.KeyID
	if ref == "" {
		ref, what = alias, "KMS alias "+alias
	}
	if ref == "" {
		return
	}
	out, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(ref)})
	switch {
	case err != nil:
		k.Metadata = failField[KeyMetadata](o, err, what)
	case out.KeyMetadata == nil:
		k.Metadata = FailedWith[KeyMetadata](&ReadError{Kind: OtherError, At: o.now(),
			Message: "kms:DescribeKey " + ref + " answered without the key's metadata"})
	default:
		k.Metadata = Value(KeyMetadataOf(out.KeyMetadata))
	}
	switch {
	case alias == "":
	case ref == alias && k.Metadata.OK():
		k.AliasTarget = Value(k.Metadata.Value.ID)
	case ref == alias:
		k.AliasTarget = Field[string]{State: k.Metadata.State, Error: k.Metadata.Error}
	default:
		if a, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(alias)}); err != nil {
			k.AliasTarget = failField[string](o, err, "KMS alias "+alias)
		} else if a.KeyMetadata != nil {
			k.AliasTarget = Value(aws.ToString(a.KeyMetadata.KeyId))
		}
	}
	if !k.Metadata.OK() {
		return
	}
	id := aws.String(k.Metadata.Value.ID)
	what = "KMS key " + k.Metadata.Value.ID
	if r.KeyRotation {
		if rot, err := c.GetKeyRotationStatus(ctx, &kms.GetKeyRotationStatusInput{KeyId: id}); err != nil {
			k.Rotation = failField[bool](o, err, "rotation status of "+what)
		} else {
			k.Rotation = Value(rot.KeyRotationEnabled)
		}
	}
	if pol, err := c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: id, PolicyName: aws.String("default")}); err != nil {
		k.Policy = failField[string](o, err, "key policy of "+what)
	} else {
		k.Policy = Value(aws.ToString(pol.Policy))
	}
	if r.Aliases {
		k.Aliases = o.keyAliases(ctx, id, what)
	}
	if r.Tags {
		k.Tags = o.keyTags(ctx, id, what)
	}
}

// KeyMetadataOf is what the snapshot keeps of DescribeKey's answer.
func KeyMetadataOf(md *kmstypes.KeyMetadata) KeyMetadata {
	spec := string(md.KeySpec)
	if spec == "" {
		//lint:ignore SA1019 KeySpec's predecessor is the only spec an older key reports
		spec = string(md.CustomerMasterKeySpec)
	}
	m := KeyMetadata{
		ID: aws.ToString(md.KeyId), ARN: aws.ToString(md.Arn), Description: aws.ToString(md.Description),
		State: string(md.KeyState), Manager: string(md.KeyManager), Spec: spec, Usage: string(md.KeyUsage),
		Created: aws.ToTime(md.CreationDate).UTC(),
	}
	for _, a := range md.EncryptionAlgorithms {
		m.EncryptionAlgorithms = append(m.EncryptionAlgorithms, string(a))
	}
	if md.DeletionDate != nil {
		d := md.DeletionDate.UTC()
		m.DeletionDate = &d
	}
	return m
}

func (o *Observer) keyAliases(ctx context.Context, id *string, what string) Field[[]string] {
	var names []string
	p := kms.NewListAliasesPaginator(o.Clients.KMS, &kms.ListAliasesInput{KeyId: id})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return failField[[]string](o, err, "aliases of "+what)
		}
		for _, a := range page.Aliases {
			names = append(names, aws.ToString(a.AliasName))
		}
	}
	sort.Strings(names)
	return Value(names)
}

func (o *Observer) keyTags(ctx context.Context, id *string, what string) Field[[]Tag] {
	var tags []Tag
	p := kms.NewListResourceTagsPaginator(o.Clients.KMS, &kms.ListResourceTagsInput{KeyId: id})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return failField[[]Tag](o, err, "tags of "+what)
		}
		for _, t := range page.Tags {
			tags = append(tags, Tag{Key: aws.ToString(t.TagKey), Value: aws.ToString(t.TagValue)})
		}
	}
	sortTags(tags)
	return Value(tags)
}

func sortTags(tags []Tag) {
	sort.Slice(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
}
