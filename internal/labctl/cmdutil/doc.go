// Package cmdutil is what every labctl command shares, in the shape of
// GitHub's CLI (cli/cli pkg/cmdutil): the Factory that hands out I/O
// streams, AWS clients and the clock, the typed errors that decide the exit
// code in one place (ExitCode), and the AWS flags, registered once.
//
// A command lives in internal/labctl/cmd/<command>/ (a subcommand in
// internal/labctl/cmd/<command>/<sub>/) and has:
//
//   - an Options struct holding its flags, its arguments and what it takes
//     from the Factory;
//   - NewCmdX(f *cmdutil.Factory, runF func(*XOptions) error) *cobra.Command,
//     with its help text beside it; tests pass a runF to see the parsed
//     Options without running anything;
//   - a run function, xRun(ctx context.Context, opts *XOptions) error, which
//     returns nil, a typed error from this package, or any other error
//     (exit code 2).
//
// Tests run a command in-process on a Factory from
// internal/testenv/awsstub, whose AWS clients are answered by stubs.
package cmdutil
