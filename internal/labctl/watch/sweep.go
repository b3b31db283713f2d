// Package watch is `labctl class watch`'s loop and server: it checks every
// account of a class again and again, never two sweeps at once and never
// more than Parallel accounts at once, keeps each account's last result
// (marked stale when a sweep had to move on without it), remembers when
// each task first passed, and serves the class page and /status.json.
package watch

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/report"
)

// CheckFunc checks one account; class.Runner.CheckAccount in labctl.
type CheckFunc func(ctx context.Context, st classes.Stack) class.Row

// Sweeper checks a class's accounts, sweep after sweep.
type Sweeper struct {
	Class    string
	Mode     class.Mode
	Stacks   []classes.Stack
	Check    CheckFunc
	Every    time.Duration
	Parallel int
	// StaleAfter is how long one account may take before the sweep moves
	// on without it; 0 means Every.
	StaleAfter time.Duration
	// Progress gets one line per account and per sweep.
	Progress io.Writer
	Now      func() time.Time

	mu       sync.Mutex
	accounts []account
	sweeps   int
	running  *class.SweepProgress
	sem      chan struct{}
	once     sync.Once
	started  int // sweeps started, for tests
}

// account is what the sweeper remembers of one lab account.
type account struct {
	row        class.Row
	checked    bool
	checkedAt  time.Time
	stale      bool
	inFlight   bool
	firstPass  map[string]time.Time
	passing    int
	progressAt time.Time
}

func (s *Sweeper) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sweeper) init() {
	s.once.Do(func() {
		s.accounts = make([]account, len(s.Stacks))
		for i, st := range s.Stacks {
			s.accounts[i] = account{row: class.Row{Stack: st.Name, Account: st.Account, Region: st.Region, Cells: []class.Cell{},
				Error: "not checked yet"}, firstPass: map[string]time.Time{}}
		}
		s.sem = make(chan struct{}, max(1, s.Parallel))
	})
}

// Run sweeps until ctx ends: a sweep, then the next one Every after the
// previous one started, or at once when a sweep took longer than Every.
// One sweep runs at a time.
func (s *Sweeper) Run(ctx context.Context) {
	s.init()
	for ctx.Err() == nil {
		start := time.Now()
		s.sweep(ctx)
		wait := s.Every - time.Since(start)
		if wait < 0 {
			wait = 0
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// sweep checks every account once, at most Parallel at a time. An account
// still being checked from an earlier sweep, or slower than StaleAfter in
// this one, keeps its last result, marked stale.
func (s *Sweeper) sweep(ctx context.Context) {
	s.init()
	staleAfter := s.staleAfter()
	s.mu.Lock()
	s.started++
	n := s.sweeps + 1
	s.running = &class.SweepProgress{Started: s.now().UTC().Truncate(time.Second), Of: len(s.Stacks)}
	s.mu.Unlock()
	s.logf("sweep %d: checking %s of class %s (%s, %d at a time)\n", n, report.Plural(len(s.Stacks), "account"), s.Class, s.Mode, cap(s.sem))
	var wg sync.WaitGroup
	for i, st := range s.Stacks {
		wg.Go(func() { s.sweepAccount(ctx, i, st, staleAfter) })
	}
	wg.Wait()
	s.mu.Lock()
	s.sweeps = n
	s.running = nil
	s.mu.Unlock()
	s.logf("sweep %d done\n", n)
}

// staleAfter is StaleAfter, or Every when it is not set (as labctl class
// watch leaves it): the page's watch.staleAfter says the wait in effect.
func (s *Sweeper) staleAfter() time.Duration {
	if s.StaleAfter > 0 {
		return s.StaleAfter
	}
	return s.Every
}

// sweepAccount checks one account, waiting at most staleAfter for it
// once it has a slot. The check goes on in the background when it is
// slower: the account is then in flight, and the next sweep leaves it be.
func (s *Sweeper) sweepAccount(ctx context.Context, i int, st classes.Stack, staleAfter time.Duration) {
	s.mu.Lock()
	if s.accounts[i].inFlight {
		s.accounts[i].stale = true
		s.mu.Unlock()
		s.done(st.Name, "still being checked since the last sweep: kept its last result (stale)")
		return
	}
	s.accounts[i].inFlight = true
	s.mu.Unlock()
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		s.mu.Lock()
		s.accounts[i].inFlight = false
		s.mu.Unlock()
		return
	}
	result := make(chan class.Row, 1)
	go func() {
		defer func() { <-s.sem }()
		row := s.Check(ctx, st)
		s.record(i, row)
		result <- row
	}()
	select {
	case row := <-result:
		s.done(st.Name, summary(row))
	case <-time.After(staleAfter):
		s.mu.Lock()
		s.accounts[i].stale = true
		s.mu.Unlock()
		s.done(st.Name, fmt.Sprintf("slower than %s: kept its last result (stale); its check goes on", staleAfter))
	case <-ctx.Done():
	}
}

// record keeps an account's new result.
func (s *Sweeper) record(i int, row class.Row) {
	now := s.now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &s.accounts[i]
	a.inFlight, a.stale, a.checked = false, false, true
	a.row, a.checkedAt = row, now
	passing := 0
	for _, c := range row.Cells {
		if c.Status != class.StatusPass {
			continue
		}
		passing++
		if _, ok := a.firstPass[c.Column]; !ok {
			a.firstPass[c.Column] = now
		}
	}
	if a.progressAt.IsZero() || passing > a.passing {
		a.progressAt = now
	}
	a.passing = passing
}

func (s *Sweeper) done(stack, what string) {
	s.mu.Lock()
	var n, of int
	if s.running != nil {
		s.running.Done++
		n, of = s.running.Done, s.running.Of
	}
	s.mu.Unlock()
	s.logf("[%d/%d] %s: %s\n", n, of, stack, what)
}

func (s *Sweeper) logf(format string, args ...any) {
	if s.Progress == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.Progress, format, args...)
}

func summary(row class.Row) string {
	if row.Error != "" {
		return "not checked: " + row.Error
	}
	pass := 0
	for _, c := range row.Cells {
		if c.Status == class.StatusPass {
			pass++
		}
	}
	return fmt.Sprintf("%d/%d pass", pass, len(row.Cells))
}

// Page is the latest state: the last result of every account, with when
// it was taken and when each task first passed.
func (s *Sweeper) Page() *class.Page {
	s.init()
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &class.Result{Class: s.Class, Mode: s.Mode, GeneratedAt: s.now().UTC().Truncate(time.Second), Columns: class.ColumnsOf(s.Mode)}
	for _, a := range s.accounts {
		row := a.row
		row.Cells = append([]class.Cell(nil), a.row.Cells...)
		r.Accounts = append(r.Accounts, row)
	}
	r.Tally()
	p := class.NewPage(r)
	for i := range p.Accounts {
		a := s.accounts[i]
		pa := &p.Accounts[i]
		pa.Stale = a.stale
		if a.checked {
			at, progress := a.checkedAt, a.progressAt
			pa.CheckedAt, pa.ProgressAt = &at, &progress
			pa.FirstPassedAt = map[string]time.Time{}
			for k, v := range a.firstPass {
				pa.FirstPassedAt[k] = v
			}
		}
	}
	info := &class.WatchInfo{Every: int(s.Every / time.Second), Sweeps: s.sweeps, StaleAfter: int(s.staleAfter() / time.Second)}
	if s.running != nil {
		rp := *s.running
		info.Running = &rp
	}
	p.Watch = info
	return p
}
