// Command labctl verifies a deployed kms-lab stack and finds the lab key's
// and image's activity in the trail's CloudTrail log files.
//
//	pulumi stack output --json | labctl verify -
//	labctl events --outputs outputs.json --since 1h
//	source <(labctl completion bash)
//
// See `labctl help`.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/kms-lab/kms-lab/internal/labctl"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	app := &labctl.App{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	code := app.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
