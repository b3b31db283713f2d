package emulatorapply

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/kms-lab/kms-lab/internal/awsmock"
)

// mockOutputs asks the same mocks the plan was rendered with what they
// answered for r, so the identifiers they invented (keyId, arn, bucket) can
// be found in later inputs and replaced. Only string inputs matter to the
// identifiers, and the mocks derive them from the account, region, name and
// those inputs alone.
func (a *applier) mockOutputs(typ, name string, inputs map[string]any) (map[string]string, error) {
	o := a.target.Options
	m := &awsmock.Mocks{Env: awsmock.Env{AccountID: o.AccountID, Region: o.Region, Partition: o.Partition, CallerARN: o.CallerARN, RolePath: o.RolePath}}
	strs := map[string]any{}
	for k, v := range inputs {
		if s, ok := v.(string); ok {
			strs[k] = s
		}
	}
	_, props, err := m.NewResource(pulumi.MockResourceArgs{
		TypeToken: typ, Name: name, Inputs: resource.NewPropertyMapFromMap(strs), Custom: true,
	})
	if err != nil {
		return nil, fmt.Errorf("recomputing the mock identifiers: %w", err)
	}
	out := map[string]string{}
	for k, v := range props {
		if v.IsString() {
			out[string(k)] = v.StringValue()
		}
	}
	return out, nil
}
