// Package stackplan renders a committed stack file's offline plan for
// tests: the program's own resources and outputs, so a fixture follows the
// program instead of copying it. The product reads stack files with
// internal/stackconfig and renders them with plan.Render; only tests need
// the two in one call, which is why this lives in the test-support tree.
package stackplan

import (
	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
)

// Render loads a Pulumi.<stack>.yaml, with the Pulumi.yaml found beside
// it or above it, and renders its plan on the mock engine. Its errors are
// the product's own, unwrapped: they already name the stack and its file,
// and tests assert them as a user reads them.
func Render(stackFile string, opts plan.Options) (*plan.Plan, error) {
	sc, err := stackconfig.Load("", stackFile)
	if err != nil {
		return nil, err
	}
	return plan.Render(sc, opts)
}
