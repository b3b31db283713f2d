// Package cmdutil is what labplan's commands share, in the same shape as
// labctl's (internal/labctl/cmdutil, itself after GitHub's CLI): a Factory
// with the I/O streams and the build, typed errors mapped to exit codes in
// one place (ExitCode), and the target flags, registered once.
//
// It is its own package rather than labctl's because labplan runs offline:
// labctl's cmdutil hands out AWS clients and would link the AWS SDK's
// credential chain into a binary that must never need one.
package cmdutil
