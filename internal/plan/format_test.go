package plan_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/awsmock"
	"github.com/kms-lab/kms-lab/internal/plan"
)

// URNs in Pulumi's form, urn:pulumi:<stack>::<project>::<parent type>$<type>::<name>
// (Pulumi docs, "Resource names: URNs").
const (
	stackURN  = "urn:pulumi:dev::kms-lab::pulumi:pulumi:Stack::kms-lab-dev"
	keyURN    = "urn:pulumi:dev::kms-lab::kms-lab:kms:EncryptionKey$aws:kms/key:Key::lab-key"
	aliasURN  = "urn:pulumi:dev::kms-lab::kms-lab:kms:EncryptionKey$aws:kms/alias:Alias::lab-key-alias"
	bucketURN = "urn:pulumi:dev::kms-lab::aws:s3/bucketV2:BucketV2::trail-bucket"
)

// docs/labplan.md: "dependsOn holds the explicit and input-derived
// dependencies (not the parent)", sorted like everything in a plan, and a
// resource without any shows [].
func TestDependencies(t *testing.T) {
	tests := []struct {
		name string
		reg  awsmock.Registration
		want []string
	}{
		{"none is an empty list, not null", awsmock.Registration{Parent: stackURN}, []string{}},
		{"explicit", awsmock.Registration{DependsOn: []string{keyURN}}, []string{keyURN}},
		{"input-derived", awsmock.Registration{PropertyDependencies: map[string][]string{"targetKeyId": {keyURN}}}, []string{keyURN}},
		{"both, once each, sorted",
			awsmock.Registration{DependsOn: []string{keyURN, bucketURN}, PropertyDependencies: map[string][]string{"bucket": {bucketURN}, "kmsKeyId": {keyURN}}},
			[]string{bucketURN, keyURN}},
		{"the parent is not a dependency",
			awsmock.Registration{Parent: keyURN, DependsOn: []string{keyURN, bucketURN}},
			[]string{bucketURN}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plan.Dependencies(tt.reg)
			require.NotNil(t, got)
			assert.Equal(t, tt.want, got)
		})
	}
}

// docs/labplan.md, "JSON format (stable)": object keys sorted, policy
// documents as objects, byte-identical for identical input; labplan diff
// reads back what labplan wrote.
func TestJSONIsCanonicalAndReadsBack(t *testing.T) {
	p := &plan.Plan{Stack: "dev", Project: "kms-lab",
		Resources: []plan.Resource{{URN: keyURN, Type: "aws:kms/key:Key", Name: "lab-key", Parent: stackURN, DependsOn: []string{},
			Inputs: map[string]any{"policy": map[string]any{"Version": "2012-10-17", "Statement": []any{}}, "description": "KMS Key for S3 data"}}},
		Outputs: map[string]any{"objectUrl": "https://example.com/a?b=1&c=2", "keyAlias": "alias/myFirstKey"}}
	var first, second bytes.Buffer
	require.NoError(t, plan.WriteJSON(&first, p))
	require.NoError(t, plan.WriteJSON(&second, p))
	out := first.String()
	assert.Equal(t, out, second.String(), "two writes are byte-identical")
	assert.True(t, strings.HasSuffix(out, "}\n"), "ends with a newline")
	assert.Contains(t, out, `"dependsOn": [],`)
	assert.Contains(t, out, `"https://example.com/a?b=1&c=2"`, "no HTML escaping of &")
	assert.Less(t, strings.Index(out, `"keyAlias"`), strings.Index(out, `"objectUrl"`), "object keys are sorted")
	assert.Less(t, strings.Index(out, `"description"`), strings.Index(out, `"policy"`), "input keys are sorted")

	back, err := plan.ReadJSON(strings.NewReader(out))
	require.NoError(t, err)
	assert.Equal(t, "dev", back.Stack)
	assert.Equal(t, "kms-lab", back.Project)
	require.NotNil(t, back.Find("aws:kms/key:Key"))
	assert.Equal(t, "2012-10-17", back.Find("aws:kms/key:Key").Inputs["policy"].(map[string]any)["Version"])
	assert.Empty(t, plan.Diff(p, back), "a plan read back is the plan written")
}

func TestReadJSONRejectsWhatIsNotAPlan(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"not JSON", "Plan for stack dev", "decode plan: invalid character"},
		{"empty", "", "decode plan: EOF"},
		{"a JSON object of another tool", `{"changes": []}`, "decode plan: not a labplan JSON plan (no project or resources)"},
		{"a plan with no resources list", `{"stack": "dev", "project": "kms-lab"}`, "not a labplan JSON plan"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := plan.ReadJSON(strings.NewReader(tt.in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// docs/labplan.md: "labplan diff compares two plans resource by resource
// (+ added, - removed, ~ changed, with each changed input path)", after a
// Terraform-style count line.
func TestWriteDiffText(t *testing.T) {
	tests := []struct {
		name    string
		changes []plan.ResourceChange
		want    string
	}{
		{"no changes", nil, "No changes.\n"},
		{"one of each", []plan.ResourceChange{
			{URN: aliasURN, Type: "aws:kms/alias:Alias", Kind: plan.Added},
			{URN: keyURN, Type: "aws:kms/key:Key", Kind: plan.Changed, Paths: []plan.PathChange{
				{Path: `inputs.policy.Statement[Sid="Allow use of the key"].Principal.AWS`, Change: plan.Changed,
					Old: []any{"arn:aws:iam::111122223333:user/a", "arn:aws:iam::111122223333:user/b"}, New: "arn:aws:iam::111122223333:user/a"},
				{Path: "inputs.description", Change: plan.Removed, Old: "KMS Key for S3 data"},
				{Path: "inputs.enableKeyRotation", Change: plan.Added, New: true},
			}},
			{URN: bucketURN, Type: "aws:s3/bucketV2:BucketV2", Kind: plan.Removed},
		}, `1 to add, 1 to change, 1 to remove.
+ aws:kms/alias:Alias::lab-key-alias (aws:kms/alias:Alias)
~ aws:kms/key:Key::lab-key (aws:kms/key:Key)
    ~ inputs.policy.Statement[Sid="Allow use of the key"].Principal.AWS: ["arn:aws:iam::111122223333:user/a","arn:aws:iam::111122223333:user/b"] => arn:aws:iam::111122223333:user/a
    - inputs.description: KMS Key for S3 data
    + inputs.enableKeyRotation: true
- aws:s3/bucketV2:BucketV2::trail-bucket (aws:s3/bucketV2:BucketV2)
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			require.NoError(t, plan.WriteDiffText(&out, tt.changes))
			assert.Equal(t, tt.want, out.String())
		})
	}
}
