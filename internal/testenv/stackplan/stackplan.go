// Package stackplan renders a committed stack file's offline plan for
// tests: the program's own resources and outputs, so a fixture follows the
// program instead of copying it. The product reads stack files with
// internal/stackconfig and renders them with plan.Render; only tests need
// the two in one call, which is why this lives in the test-support tree.
package stackplan

import (
	"fmt"

	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
)

// Render loads a Pulumi.<stack>.yaml, with the Pulumi.yaml found beside
// it or above it, and renders its plan on the mock engine.
func Render(stackFile string, opts plan.Options) (*plan.Plan, error) {
	sc, err := stackconfig.Load("", stackFile)
	if err != nil {
		return nil, fmt.Errorf("stackplan: %w", err)
	}
	p, err := plan.Render(sc, opts)
	if err != nil {
		return nil, fmt.Errorf("stackplan: rendering %s: %w", stackFile, err)
	}
	return p, nil
}
