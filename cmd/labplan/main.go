// Command labplan renders what `pulumi up` would create for a kms-lab stack,
// without AWS credentials, the Pulumi CLI or a network: it runs the real
// program on Pulumi's mock engine, fed by a Pulumi.<stack>.yaml. It also
// diffs two plans, for pull-request reviews.
//
//	labplan --config Pulumi.dev.yaml [--format json|text|markdown] [--account ID] [--region R] [--partition P] [--caller-arn ARN]
//	labplan diff OLD.json NEW.json [--format text|markdown]
//	labplan diff --base-ref REF --head-ref REF --config Pulumi.<stack>.yaml [--format text|markdown]
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
