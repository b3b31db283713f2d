// Command labplan renders what `pulumi up` would create for a kms-lab stack,
// without AWS credentials, the Pulumi CLI or a network: it runs the real
// program on Pulumi's mock engine, fed by a Pulumi.<stack>.yaml. It also
// diffs two plans, for pull-request reviews, and prints the deployer role's
// policy.
//
//	labplan --config Pulumi.dev.yaml [--format json|text|markdown] [--account ID] [--region R] [--partition P] [--caller-arn ARN]
//	labplan diff OLD.json NEW.json [--format text|markdown|json]
//	labplan diff --base-ref REF --head-ref REF --config Pulumi.<stack>.yaml [--format text|markdown|json]
//	labplan deployer-policy --config Pulumi.<stack>.yaml
//	labplan version
//
// The commands live in internal/labplan/cmd; docs/labplan.md is the reference.
package main

import (
	"os"

	"github.com/kms-lab/kms-lab/internal/buildinfo"
	"github.com/kms-lab/kms-lab/internal/labplan/cmd/root"
	"github.com/kms-lab/kms-lab/internal/labplan/cmdutil"
)

// Stamped by a release (.goreleaser.yaml: -X main.version=... and so on);
// empty in a build from a checkout, where buildinfo reads what the toolchain
// recorded instead.
var (
	version string
	commit  string
	date    string
)

func main() {
	os.Exit(root.Main(cmdutil.New(buildinfo.Resolve(version, commit, date)), os.Args[1:]))
}
