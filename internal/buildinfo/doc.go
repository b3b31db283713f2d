// Package buildinfo says which build of a command is running: the version,
// commit and date a release stamps into package main with -ldflags -X, or,
// for a binary built with `go build` or `go install` from a checkout, what
// the Go toolchain recorded in it (the module version and vcs.* settings).
package buildinfo
