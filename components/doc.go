// Package components holds the lab's Pulumi component resources: the
// encryption key, the trail's log bucket, the audit trail and the lab image.
// Each takes plain typed arguments (config is read and validated elsewhere),
// parents every child to itself and registers its outputs.
package components

import (
	"github.com/kms-lab/kms-lab/internal/labnames"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type tokens of the components, as they appear in URNs and plans.
const (
	EncryptionKeyType = labnames.EncryptionKeyType
	TrailBucketType   = labnames.TrailBucketType
	AuditTrailType    = labnames.AuditTrailType
	LabImageType      = labnames.LabImageType
)

// stringMap converts plain tags for a resource argument; nil stays nil so an
// untagged stack sends no tags at all.
func stringMap(tags map[string]string) pulumi.StringMap {
	if len(tags) == 0 {
		return nil
	}
	m := pulumi.StringMap{}
	for k, v := range tags {
		m[k] = pulumi.String(v)
	}
	return m
}
