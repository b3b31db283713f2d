// Package watch is `labctl class watch`: a class checked again and again,
// its page served and updated in place while students work.
package watch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/labctl/cmd/class/shared"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	labwatch "github.com/kms-lab/kms-lab/internal/labctl/watch"
	"github.com/kms-lab/kms-lab/internal/report"
	"github.com/kms-lab/kms-lab/internal/valuetext"
)

// WatchOptions are class watch's flags and what it takes from the Factory.
type WatchOptions struct {
	IO  *cmdutil.IOStreams
	AWS cmdutil.AWSConnector
	Now func() time.Time

	shared.ClassFlags
	Listen string
	Every  time.Duration
	Token  string
	// Ready, when set, gets the address the server listens on (tests).
	Ready func(addr string)
}

// NewCmdWatch builds `labctl class watch`; runF, when set, runs instead of
// watchRun.
func NewCmdWatch(f *cmdutil.Factory, runF func(*WatchOptions) error) *cobra.Command {
	opts := &WatchOptions{IO: f.IOStreams, AWS: f.AWS, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "watch classes/<class>.yaml [flags]",
		Short: "Check a class again and again and serve its live page",
		Long: `Checks every lab account of a class, as class status does, again and again:
a sweep every --every, never two at once, at most --parallel accounts at a
time. An account slower than one interval keeps its last result, marked
stale, and the sweep goes on without it. It serves, on --listen (loopback by
default), the class page at / (it redraws itself when a sweep ends, shows
when each account was last checked and which made no progress for a while)
and /status.json: class status's JSON plus each account's checkedAt and,
per task, firstPassedAt. The page shows students' IAM names: a --listen
beyond loopback needs --token, and then every request must carry it
(Authorization: Bearer TOKEN, or /?token=TOKEN once, which sets a cookie).
--roster FILE names each stack's student on the page: a roster is personal
data, one more reason for --token beyond loopback. Progress goes to stderr,
with the accounts still waiting for an answer every 15 s. Ctrl-C (SIGINT) or SIGTERM stops it.`,
		Example: `  labctl class watch classes/kms101.yaml --mode by-hand
  labctl class watch classes/kms101.yaml --every 2m --parallel 16
  labctl class watch classes/kms101.yaml --listen 0.0.0.0:8080 --token "$(openssl rand -hex 16)"`,
		Args:              cmdutil.ClassFileArg,
		ValidArgsFunction: cmdutil.ClassFileCompletion,
		PreRunE: func(cmd *cobra.Command, args []string) error {
			opts.ClassFile = args[0]
			return cmdutil.CheckFlags(cmd, opts.validate())
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return watchRun(cmd.Context(), opts)
		},
	}
	opts.Register(cmd, shared.Uses{Outputs: true, ParallelHelp: "accounts checked at once, never more",
		ModeHelp: "`mode`: deployed or by-hand (default: the class file's mode)"})
	fs := cmd.Flags()
	fs.StringVar(&opts.Listen, "listen", "127.0.0.1:8080", "serve the page on `host:port`; beyond loopback only with --token")
	fs.DurationVar(&opts.Every, "every", 60*time.Second, "start a sweep this often (a slower sweep delays the next)")
	fs.StringVar(&opts.Token, "token", "", "require this `token` on every request")
	return cmd
}

// validate reports every bad flag value together.
func (o *WatchOptions) validate() error {
	problems := o.Problems([]class.Mode{class.Deployed, class.ByHand}, nil)
	if o.Every < time.Second {
		problems = append(problems, fmt.Sprintf("--every %s: use 1s or more (each sweep reads CloudTrail, which allows 2 LookupEvents a second per account and Region)", o.Every))
	}
	var open *labwatch.OpenListenError
	switch err := labwatch.CheckListen(o.Listen, o.Token); {
	case errors.As(err, &open):
		problems = append(problems, fmt.Sprintf("--listen %s is not a loopback address and --token is not set: the page shows students' IAM names, "+
			"so listening beyond this machine needs --token; or listen on 127.0.0.1", valuetext.Quote(open.Addr)))
	case err != nil:
		problems = append(problems, cmdutil.FlagText(err))
	}
	if len(problems) > 0 {
		return cmdutil.FlagErrorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

func watchRun(ctx context.Context, opts *WatchOptions) error {
	c, roster, err := opts.Load(opts.IO.ErrOut)
	if err != nil {
		return err
	}
	runner := opts.Runner(c, roster, shared.Deps{AWS: opts.AWS, Now: opts.Now})
	sw := &labwatch.Sweeper{Class: c.Name, Mode: runner.Mode, Stacks: c.Stacks, Check: runner.CheckAccount, Roster: roster,
		Every: opts.Every, Parallel: opts.Parallel, Progress: opts.IO.ErrOut, WaitTick: shared.WaitTicker(opts.IO.ErrOut), Now: opts.Now}

	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", opts.Listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", opts.Listen, err)
	}
	srv := &http.Server{Handler: labwatch.Handler(sw, opts.Token), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	addr := ln.Addr().String()
	fmt.Fprintf(opts.IO.ErrOut, "serving class %s on http://%s/ (Ctrl-C stops)\n", c.Name, addr)
	if opts.Ready != nil {
		opts.Ready(addr)
	}
	swept := make(chan struct{})
	go func() {
		sw.Run(ctx)
		close(swept)
	}()
	select {
	case <-ctx.Done():
	case err = <-served:
		stop()
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	<-swept
	fmt.Fprintf(opts.IO.ErrOut, "stopped after %s\n", report.Plural(sw.Page().Watch.Sweeps, "sweep"))
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving the class page: %w", err)
	}
	return nil
}
