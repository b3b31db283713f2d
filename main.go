// Command kms-lab is the Pulumi program that provisions the "Introduction to
// AWS Key Management Service" lab. Everything lives in internal/labstack so
// the tests and the offline plan run the very same program.
package main

import (
	"github.com/kms-lab/kms-lab/internal/labstack"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(labstack.Program)
}
