package verify

import (
	"slices"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
)

func (j judge) keyChecks() []Check {
	o, k := j.o, j.s.Key
	if !k.Metadata.OK() {
		// Without the key nothing else about it can be checked, but the
		// alias can still be looked at: it may point elsewhere.
		c := field(k.Metadata, "key.exists", o.KeyARN, func() Check { return j.notFound("key.exists", o.KeyARN, "KMS key "+o.KeyID) }, nil)
		return []Check{c, j.aliasCheck()}
	}
	md := k.Metadata.Value
	checks := keyMetadataChecks(md, o.KeyARN)
	if j.guide != nil {
		// The guide sets a description and leaves rotation at the
		// console's default.
		checks = append(checks, descriptionCheck(md, j.guide.Description))
	} else {
		expected := onOff(o.KeyRotationEnabled)
		checks = append(checks, field(k.Rotation, "key.rotation", expected, func() Check { return unread("key.rotation", expected, nil) },
			func(on bool) Check { return compare("key.rotation", expected, onOff(on)) }))
	}
	checks = append(checks, j.aliasCheck())
	const policyExpected = "the console's default key policy"
	if !k.Policy.OK() {
		return append(checks, field(k.Policy, "key.policy", policyExpected,
			func() Check { return failed("key.policy", policyExpected, "the key has no key policy") }, nil))
	}
	if j.guide != nil {
		return append(checks, guideKeyPolicyChecks(k.Policy.Value, o, j.guide.Student)...)
	}
	return append(checks, keyPolicyChecks(k.Policy.Value, o)...)
}

// keyMetadataChecks judges DescribeKey's answer.
func keyMetadataChecks(md account.KeyMetadata, wantARN string) []Check {
	state := md.State
	if md.State == "PendingDeletion" && md.DeletionDate != nil {
		state += " (deletion on " + md.DeletionDate.UTC().Format("2006-01-02") + ")"
	}
	return []Check{
		compare("key.exists", wantARN, md.ARN),
		compare("key.state", "Enabled", state),
		keySpecCheck(md),
	}
}

func (j judge) aliasCheck() Check {
	o := j.o
	expected := o.KeyAlias + " -> " + o.KeyID
	return field(j.s.Key.AliasTarget, "key.alias", expected,
		func() Check { return j.notFound("key.alias", expected, "KMS alias "+o.KeyAlias) },
		func(target string) Check { return compare("key.alias", expected, o.KeyAlias+" -> "+target) })
}

// keySpecCheck wants a symmetric encryption key. KeyUsage is inferred from
// the encryption algorithms when it is not reported (moto omits it for keys
// created without an explicit KeyUsage); the observed text says so.
func keySpecCheck(md account.KeyMetadata) Check {
	const want = "SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT"
	usage, note := md.Usage, ""
	if usage == "" && slices.Contains(md.EncryptionAlgorithms, "SYMMETRIC_DEFAULT") {
		usage, note = "ENCRYPT_DECRYPT", " (KeyUsage not reported; inferred from EncryptionAlgorithms)"
	}
	c := compare("key.spec", want, md.Spec+", "+usage)
	c.Observed += note
	return c
}
