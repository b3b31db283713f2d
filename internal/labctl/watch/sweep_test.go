package watch

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/labctl/class/status"
)

// counter is a fake account check that counts how many run at once.
type counter struct {
	now, peak atomic.Int64
	calls     atomic.Int64
	delay     func(stack string) time.Duration
	pass      func(stack string, call int64) bool
}

func (c *counter) check(ctx context.Context, st classes.Stack) status.Row {
	n := c.now.Add(1)
	defer c.now.Add(-1)
	for {
		p := c.peak.Load()
		if n <= p || c.peak.CompareAndSwap(p, n) {
			break
		}
	}
	call := c.calls.Add(1)
	if c.delay != nil {
		select {
		case <-time.After(c.delay(st.Name)):
		case <-ctx.Done():
		}
	}
	grade := status.StatusFail
	if c.pass != nil && c.pass(st.Name, call) {
		grade = status.StatusPass
	}
	return status.Row{Stack: st.Name, Account: st.Account, Cells: []status.Cell{{Column: "task3", Status: grade}}}
}

func stacks(n int) []classes.Stack {
	var out []classes.Stack
	for i := range n {
		out = append(out, classes.Stack{Name: fmt.Sprintf("c-acct%02d", i+1), Account: fmt.Sprintf("1%011d", i+1)})
	}
	return out
}

func TestParallelIsACeiling(t *testing.T) {
	tests := []struct{ accounts, parallel int }{{20, 1}, {20, 4}, {5, 8}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d accounts, --parallel %d", tt.accounts, tt.parallel), func(t *testing.T) {
			c := &counter{delay: func(string) time.Duration { return 20 * time.Millisecond }}
			s := &Sweeper{Class: "c", Mode: class.ByHand, Stacks: stacks(tt.accounts), Check: c.check, Every: time.Minute, Parallel: tt.parallel}
			s.sweep(context.Background())
			assert.Equal(t, int64(tt.accounts), c.calls.Load(), "every account checked once")
			assert.Equal(t, int64(min(tt.parallel, tt.accounts)), c.peak.Load(), "--parallel %d runs that many at once, never more", tt.parallel)
		})
	}
}

// A sweep slower than --every does not start a second one: Run begins the
// next sweep only when the last one ended.
func TestSlowSweepsDoNotOverlap(t *testing.T) {
	c := &counter{delay: func(string) time.Duration { return 150 * time.Millisecond }}
	s := &Sweeper{Class: "c", Mode: class.ByHand, Stacks: stacks(2), Check: c.check, Every: 20 * time.Millisecond,
		StaleAfter: time.Second, Parallel: 1}
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	var maxConcurrentSweeps atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		for ctx.Err() == nil {
			if p := s.Page(); p.Watch.Running != nil && sweepsStarted(s)-p.Watch.Sweeps > 1 {
				maxConcurrentSweeps.Store(int64(sweepsStarted(s) - p.Watch.Sweeps))
			}
			time.Sleep(time.Millisecond)
		}
	})
	s.Run(ctx)
	wg.Wait()
	assert.Zero(t, maxConcurrentSweeps.Load(), "a second sweep began before the first ended")
	assert.Equal(t, int64(1), c.peak.Load(), "one account at a time")
	// Each sweep takes 2 x 150 ms at --parallel 1: at most 3 start in 700 ms,
	// although --every 20ms would ask for 35.
	assert.LessOrEqual(t, sweepsStarted(s), 3)
}

// One slow account does not hold back the rest: the sweep moves on after
// StaleAfter, the account keeps its last result marked stale, and the next
// sweep leaves it alone while its check still runs.
func TestSlowAccountIsStale(t *testing.T) {
	slow := "c-acct01"
	var slowNow atomic.Bool
	c := &counter{
		delay: func(stack string) time.Duration {
			if stack == slow && slowNow.Load() {
				return 400 * time.Millisecond
			}
			return 0
		},
		pass: func(string, int64) bool { return true },
	}
	clock := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	s := &Sweeper{Class: "c", Mode: class.ByHand, Stacks: stacks(3), Check: c.check, Every: time.Minute,
		StaleAfter: 50 * time.Millisecond, Parallel: 3, Now: func() time.Time { return clock }}
	s.sweep(context.Background())
	first := s.Page()
	require.Equal(t, 1, first.Watch.Sweeps)
	for _, a := range first.Accounts {
		assert.False(t, a.Stale, a.Stack)
		require.NotNil(t, a.CheckedAt, a.Stack)
		assert.Equal(t, clock, *a.CheckedAt)
		assert.Equal(t, map[string]time.Time{"task3": clock}, a.FirstPassedAt, "first passed in the first sweep")
	}

	slowNow.Store(true)
	clock = clock.Add(time.Minute)
	start := time.Now()
	s.sweep(context.Background())
	assert.Less(t, time.Since(start), 300*time.Millisecond, "the sweep did not wait for the slow account")
	second := s.Page()
	assert.True(t, second.Accounts[0].Stale, "the slow account is marked stale")
	assert.Equal(t, status.StatusPass, second.Accounts[0].Status, "and keeps its last result")
	assert.Equal(t, clock.Add(-time.Minute), *second.Accounts[0].CheckedAt, "from the first sweep")
	assert.False(t, second.Accounts[1].Stale)
	assert.Equal(t, clock, *second.Accounts[1].CheckedAt)
	assert.Equal(t, clock.Add(-time.Minute), second.Accounts[1].FirstPassedAt["task3"], "firstPassedAt keeps the first time")

	calls := c.calls.Load()
	s.sweep(context.Background())
	assert.Equal(t, calls+2, c.calls.Load(), "the third sweep left the account still being checked alone")
	assert.True(t, s.Page().Accounts[0].Stale)
}

// sweepsStarted counts the sweeps s has begun; only the tests need it.
func sweepsStarted(s *Sweeper) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.started
}

// TestSweepOverlapsSlowCheck: issue 22, "a sweep that overlaps the next".
// A check slower than StaleAfter goes on after its sweep ends. The next
// sweep leaves that account alone (its last result, marked stale), checks
// the others, and counts the slow check against --parallel: never more
// than Parallel checks run at once, whichever sweep started them. When the
// slow check ends, its result is kept and the account is checked again.
// The stale timer is the test's, fired by hand: nothing here waits on the
// clock.
func TestSweepOverlapsSlowCheck(t *testing.T) {
	var (
		mu        sync.Mutex
		calls     = map[string]int{}
		running   int
		peak      int
		releaseA  = make(chan struct{}, 2)
		staleFire = make(chan time.Time)
	)
	check := func(ctx context.Context, st classes.Stack) status.Row {
		mu.Lock()
		calls[st.Name]++
		running++
		peak = max(peak, running)
		mu.Unlock()
		defer func() { mu.Lock(); running--; mu.Unlock() }()
		if st.Name == "c-acct01" {
			select {
			case <-releaseA:
			case <-ctx.Done():
			}
		}
		return status.Row{Stack: st.Name, Account: st.Account, Cells: []status.Cell{{Column: "task1", Status: status.StatusPass}}}
	}
	lines := &lineWriter{ch: make(chan string, 64)}
	s := &Sweeper{Class: "c", Mode: class.ByHand, Stacks: stacks(3), Check: check, Every: time.Minute, StaleAfter: time.Minute,
		Parallel: 2, Progress: lines, After: func(time.Duration) <-chan time.Time { return staleFire }}
	ctx := t.Context()

	// Sweep 1: acct02 and acct03 answer; acct01 hangs until its stale
	// timer fires, and its check goes on.
	swept := make(chan struct{})
	go func() { s.sweep(ctx); close(swept) }()
	waitFor(t, lines.ch, "] c-acct02 100000000002: 1/1 pass (")
	waitFor(t, lines.ch, "] c-acct03 100000000003: 1/1 pass (")
	staleFire <- time.Time{}
	waitFor(t, lines.ch, "c-acct01: slower than 1m0s: kept its last result (stale); its check goes on")
	waitFor(t, lines.ch, "sweep 1 done")
	<-swept
	assert.True(t, s.Page().Accounts[0].Stale)

	// Sweep 2 overlaps acct01's check from sweep 1.
	s.sweep(ctx)
	waitFor(t, lines.ch, "c-acct01: still being checked since the last sweep: kept its last result (stale)")
	mu.Lock()
	assert.Equal(t, map[string]int{"c-acct01": 1, "c-acct02": 2, "c-acct03": 2}, calls, "acct01 not started twice")
	assert.Equal(t, 2, peak, "--parallel 2: the slow check of sweep 1 counts in sweep 2")
	mu.Unlock()
	p := s.Page()
	assert.True(t, p.Accounts[0].Stale)
	assert.Nil(t, p.Accounts[0].CheckedAt, "no result yet")
	assert.Equal(t, 2, p.Watch.Sweeps)

	// The slow check ends: its result is kept, and sweep 3 checks acct01
	// again (answering at once this time).
	releaseA <- struct{}{}
	require.Eventually(t, func() bool { return s.Page().Accounts[0].CheckedAt != nil }, 5*time.Second, time.Millisecond,
		"the slow check's result is recorded")
	assert.False(t, s.Page().Accounts[0].Stale)
	releaseA <- struct{}{}
	s.sweep(ctx)
	mu.Lock()
	assert.Equal(t, 2, calls["c-acct01"], "checked again once its check ended")
	assert.LessOrEqual(t, peak, 2)
	mu.Unlock()
}

// lineWriter hands each line written to the test.
type lineWriter struct{ ch chan string }

func (w *lineWriter) Write(b []byte) (int, error) {
	w.ch <- string(b)
	return len(b), nil
}

// waitFor reads lines until one contains want.
func waitFor(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case l := <-lines:
			if strings.Contains(l, want) {
				return
			}
		case <-timeout:
			t.Fatalf("no progress line with %q", want)
		}
	}
}
