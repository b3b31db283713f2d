// Package fanout is the one bounded fan-out of labctl's class commands
// (status, watch, clean): every account worked on by a pool of at most
// --parallel goroutines, one progress line per account as it finishes, and
// now and then the accounts still waiting for an answer, so that an
// endpoint that never answers shows whom it holds up.
package fanout

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/kms-lab/kms-lab/internal/report"
)

// Progress prints a fan-out's progress: "[n/N] line (1.2s)" as each item
// ends, and on demand the items still running. It is safe for concurrent
// use, and its Writer shares its lock, so that other lines (clean's
// per-bucket progress) never cut into one of its own.
type Progress struct {
	w   io.Writer
	of  int
	now func() time.Time

	mu      sync.Mutex
	done    int
	running map[string]time.Time // name -> when it started
}

// NewProgress prints to w (nil prints nothing) the progress of of items;
// now is the clock of the durations (nil: time.Now).
func NewProgress(w io.Writer, of int, now func() time.Time) *Progress {
	if now == nil {
		now = time.Now
	}
	return &Progress{w: w, of: of, now: now, running: map[string]time.Time{}}
}

// Start marks name as running, from now.
func (p *Progress) Start(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running[name] = p.now()
}

// Done ends name and prints "[n/N] line (1.2s)".
func (p *Progress) Done(name, line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	took := p.now().Sub(p.running[name])
	delete(p.running, name)
	p.done++
	if p.w != nil {
		fmt.Fprintf(p.w, "[%d/%d] %s (%.1fs)\n", p.done, p.of, line, took.Seconds())
	}
}

// Waiting is the items running, longest first, with how long each has
// run: "waiting on 2 accounts (6 of 8 done): kms101-acct03 for 45s,
// kms101-acct07 for 30s"; "" when none is.
func (p *Progress) Waiting(noun string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.running) == 0 {
		return ""
	}
	now := p.now()
	names := make([]string, 0, len(p.running))
	for n := range p.running {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := p.running[names[i]], p.running[names[j]]
		if !a.Equal(b) {
			return a.Before(b)
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s for %s", n, now.Sub(p.running[n]).Round(time.Second))
	}
	return fmt.Sprintf("waiting on %s (%d of %d done): %s", report.Plural(len(names), noun), p.done, p.of, strings.Join(parts, ", "))
}

// Printf prints a line of the caller's under the progress's lock.
func (p *Progress) Printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.w != nil {
		fmt.Fprintf(p.w, format, args...)
	}
}

// Writer is the progress's stream under its lock; nil when it prints
// nothing.
func (p *Progress) Writer() io.Writer {
	if p.w == nil {
		return nil
	}
	return lockedWriter{p}
}

type lockedWriter struct{ p *Progress }

func (l lockedWriter) Write(b []byte) (int, error) {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	return l.p.w.Write(b)
}

// Options are a fan-out's bounds and progress.
type Options struct {
	// Limit is how many items run at once (--parallel); below 1 means 1.
	Limit int
	// Progress gets each item's line; nil prints nothing.
	Progress *Progress
	// Noun names one item in the waiting line ("account").
	Noun string
	// WaitTick, when not nil, prints the waiting line at each tick while
	// items run (class commands: every WaitEvery).
	WaitTick <-chan time.Time
}

// WaitEvery is how often the class commands say which accounts are still
// waiting: often enough that a stuck endpoint shows within a call's time
// budget, rarely enough that the lines of a healthy run are not drowned.
const WaitEvery = 15 * time.Second

// Each calls do for every item, at most o.Limit at a time, in the items'
// order, and returns the results in the items' order. name is an item's
// name while it runs; line is its progress line once done.
func Each[T, R any](ctx context.Context, items []T, o Options, name func(T) string, do func(context.Context, T) R, line func(T, R) string) []R {
	out := make([]R, len(items))
	p := o.Progress
	if p == nil {
		p = NewProgress(nil, len(items), nil)
	}
	stop := make(chan struct{})
	var ticking sync.WaitGroup
	if o.WaitTick != nil {
		ticking.Go(func() {
			for {
				select {
				case <-stop:
					return
				case <-o.WaitTick:
					if w := p.Waiting(o.Noun); w != "" {
						p.Printf("%s\n", w)
					}
				}
			}
		})
	}
	var g errgroup.Group
	g.SetLimit(max(1, o.Limit))
	for i, it := range items {
		// Every item runs, even after ctx ends: do then returns at once
		// with ctx's error, and every item has its result.
		g.Go(func() error {
			n := name(it)
			p.Start(n)
			out[i] = do(ctx, it)
			p.Done(n, line(it, out[i]))
			return nil
		})
	}
	_ = g.Wait()
	close(stop)
	ticking.Wait()
	return out
}
