// Package tests holds the project's black-box tests: the Pulumi program on
// mocks, the policy documents against golden JSON, the offline plan and the
// class workflow checks.
package tests

import "flag"

// update rewrites golden files instead of comparing against them:
// go test ./tests -update
var update = flag.Bool("update", false, "rewrite golden files in testdata/")
