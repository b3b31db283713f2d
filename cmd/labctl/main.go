// Command labctl checks a kms-lab account before the first deploy, a
// deployed lab, a lab done by hand or a whole class, and finds the lab
// key's and image's activity in the trail's CloudTrail log files.
//
//	pulumi stack output --json | labctl verify -
//	labctl events --outputs outputs.json --since 1h
//	labctl version
//	source <(labctl completion bash)
//
// See `labctl help`.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/kms-lab/kms-lab/internal/buildinfo"
	"github.com/kms-lab/kms-lab/internal/labctl"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
)

// Stamped by a release build: -ldflags "-X main.version=... -X
// main.commit=... -X main.date=..."; empty in a build from a checkout,
// where buildinfo reads what the toolchain recorded.
var version, commit, date string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := labctl.Main(ctx, cmdutil.New(buildinfo.Resolve(version, commit, date)), os.Args[1:])
	stop()
	os.Exit(code)
}
