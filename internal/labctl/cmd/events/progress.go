package events

import (
	"fmt"
	"io"
	"time"

	labevents "github.com/kms-lab/kms-lab/internal/labctl/events"
)

// progress shows --wait's state: a live line on a terminal, and one line at
// the start and end otherwise, so that logs and pipes are not flooded with
// carriage returns.
type progress struct {
	w        io.Writer
	tty      bool
	after    time.Time
	timeout  time.Duration
	polls    int
	announce bool
}

func newProgress(w io.Writer, tty bool, after time.Time, timeout time.Duration) *progress {
	return &progress{w: w, tty: tty, after: after, timeout: timeout}
}

var spinner = []rune{'|', '/', '-', '\\'}

func (p *progress) update(elapsed time.Duration) {
	msg := fmt.Sprintf("waiting for a CloudTrail log file newer than the image (%s)", p.after.UTC().Format(time.RFC3339))
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%c %s: %s of %s", spinner[p.polls%len(spinner)], msg,
			elapsed.Truncate(time.Second), p.timeout)
	} else if !p.announce {
		fmt.Fprintf(p.w, "%s, up to %s\n", msg, p.timeout)
		p.announce = true
	}
	p.polls++
}

func (p *progress) clear() {
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func (p *progress) done(f labevents.LogFile) {
	p.clear()
	fmt.Fprintf(p.w, "log file delivered: %s (%s)\n", f.Key, f.LastModified.UTC().Format(time.RFC3339))
}
