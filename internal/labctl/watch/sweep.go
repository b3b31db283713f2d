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
	"github.com/kms-lab/kms-lab/internal/labctl/class/page"
	"github.com/kms-lab/kms-lab/internal/labctl/class/status"
	"github.com/kms-lab/kms-lab/internal/labctl/fanout"
	"github.com/kms-lab/kms-lab/internal/report"
)

// CheckFunc checks one account; status.Runner.CheckAccount in labctl.
type CheckFunc func(ctx context.Context, st classes.Stack) status.Row

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
	// Roster names the stacks' students in progress lines; nil: none.
	Roster *class.Roster
	// Progress gets one line per account and per sweep, and the accounts
	// still waiting at each WaitTick.
	Progress io.Writer
	WaitTick <-chan time.Time
	Now      func() time.Time
	// After is the timer of StaleAfter; nil means time.After. Tests hand
	// in one they fire.
	After func(time.Duration) <-chan time.Time

	mu       sync.Mutex
	accounts []account
	sweeps   int
	running  *page.SweepProgress
	// sem bounds the checks across sweeps: a check that outlives its
	// sweep keeps its slot, so the next sweep never runs more than
	// Parallel at once.
	sem  chan struct{}
	once sync.Once
}

// account is what the sweeper remembers of one lab account.
type account struct {
	row        status.Row
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
			s.accounts[i] = account{row: status.Row{Stack: st.Name, Student: s.Roster.Student(st.Name), Account: st.Account, Region: st.Region, Cells: []status.Cell{},
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
	n := s.sweeps + 1
	s.running = &page.SweepProgress{Started: s.now().UTC().Truncate(time.Second), Of: len(s.Stacks)}
	s.mu.Unlock()
	progress := fanout.NewProgress(s.Progress, len(s.Stacks), nil)
	progress.Printf("sweep %d: checking %s of class %s (%s, %d at a time)\n", n, report.Plural(len(s.Stacks), "account"), s.Class, s.Mode, cap(s.sem))
	idx := make([]int, len(s.Stacks))
	for i := range idx {
		idx[i] = i
	}
	fanout.Each(ctx, idx, fanout.Options{Limit: cap(s.sem), Progress: progress, Noun: "account", WaitTick: s.WaitTick},
		func(i int) string { return s.Roster.Label(s.Stacks[i].Name) },
		func(ctx context.Context, i int) string { return s.sweepAccount(ctx, i, s.Stacks[i], staleAfter) },
		func(i int, what string) string { return s.Roster.Label(s.Stacks[i].Name) + what })
	s.mu.Lock()
	s.sweeps = n
	s.running = nil
	s.mu.Unlock()
	progress.Printf("sweep %d done\n", n)
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
// once it has a slot, and says what became of it, as the end of its
// progress line. The check goes on in the
// background when it is slower: the account is then in flight, and the
// next sweep leaves it be.
func (s *Sweeper) sweepAccount(ctx context.Context, i int, st classes.Stack, staleAfter time.Duration) string {
	defer s.done()
	s.mu.Lock()
	if s.accounts[i].inFlight {
		s.accounts[i].stale = true
		s.mu.Unlock()
		return ": still being checked since the last sweep: kept its last result (stale)"
	}
	s.accounts[i].inFlight = true
	s.mu.Unlock()
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		s.mu.Lock()
		s.accounts[i].inFlight = false
		s.mu.Unlock()
		return ": not checked: stopping"
	}
	result := make(chan status.Row, 1)
	go func() {
		defer func() { <-s.sem }()
		row := s.Check(ctx, st)
		s.record(i, row)
		result <- row
	}()
	after := s.After
	if after == nil {
		after = time.After
	}
	select {
	case row := <-result:
		// The line class status prints: "stack account: 4/6 pass".
		return " " + row.Account + ": " + row.Summary()
	case <-after(staleAfter):
		s.mu.Lock()
		s.accounts[i].stale = true
		s.mu.Unlock()
		return fmt.Sprintf(": slower than %s: kept its last result (stale); its check goes on", staleAfter)
	case <-ctx.Done():
		return ": not checked: stopping"
	}
}

// record keeps an account's new result.
func (s *Sweeper) record(i int, row status.Row) {
	now := s.now().UTC().Truncate(time.Second)
	s.mu.Lock()
	defer s.mu.Unlock()
	a := &s.accounts[i]
	a.inFlight, a.stale, a.checked = false, false, true
	a.row, a.checkedAt = row, now
	passing := 0
	for _, c := range row.Cells {
		if c.Status != status.StatusPass {
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

// done counts an account of the running sweep as done, for the page.
func (s *Sweeper) done() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running != nil {
		s.running.Done++
	}
}

// Page is the latest state: the last result of every account, with when
// it was taken and when each task first passed.
func (s *Sweeper) Page() *page.Page {
	s.init()
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &status.Result{Class: s.Class, Mode: s.Mode, GeneratedAt: s.now().UTC().Truncate(time.Second), Columns: status.Columns(s.Mode)}
	for _, a := range s.accounts {
		row := a.row
		row.Cells = append([]status.Cell(nil), a.row.Cells...)
		r.Accounts = append(r.Accounts, row)
	}
	r.Tally()
	p := page.New(r)
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
	info := &page.WatchInfo{Every: int(s.Every / time.Second), Sweeps: s.sweeps, StaleAfter: int(s.staleAfter() / time.Second)}
	if s.running != nil {
		rp := *s.running
		info.Running = &rp
	}
	p.Watch = info
	return p
}
