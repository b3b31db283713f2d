package watch

import (
	"context"
	"fmt"
	"slices"
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
	"github.com/kms-lab/kms-lab/internal/testenv/gate"
)

// counter is a fake account check that counts how many run at once. A
// gate (internal/testenv/gate), when set, holds each call until that many
// are in at once; block, when set, holds a stack's calls until the test
// lets one through.
type counter struct {
	now, peak atomic.Int64
	calls     atomic.Int64
	gate      *gate.Gate
	block     map[string]chan struct{}
	// entered, when set, gets each stack as its check begins.
	entered chan string
	pass    func(stack string, call int64) bool
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
	if c.entered != nil {
		c.entered <- st.Name
	}
	if c.gate != nil {
		c.gate.Pass(ctx)
	}
	if ch, ok := c.block[st.Name]; ok {
		select {
		case <-ch:
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

// never is a stale timer that does not fire: the tests that are not about
// slow accounts take the clock out.
func never(time.Duration) <-chan time.Time { return nil }

// --parallel N "accounts checked at once, never more" (the flag's help):
// with more accounts than N, exactly N at once; with fewer, all.
func TestParallelIsACeiling(t *testing.T) {
	tests := []struct{ accounts, parallel int }{{20, 1}, {20, 4}, {5, 8}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d accounts, --parallel %d", tt.accounts, tt.parallel), func(t *testing.T) {
			c := &counter{gate: gate.New(min(tt.parallel, tt.accounts))}
			s := &Sweeper{Class: "c", Mode: class.ByHand, Stacks: stacks(tt.accounts), Check: c.check, Every: time.Minute, Parallel: tt.parallel, After: never}
			s.sweep(context.Background())
			assert.Equal(t, int64(tt.accounts), c.calls.Load(), "every account checked once")
			assert.Equal(t, int64(min(tt.parallel, tt.accounts)), c.peak.Load(), "--parallel %d runs that many at once, never more", tt.parallel)
			assert.Zero(t, c.gate.Timeouts(), "calls that waited in vain for %d at once", min(tt.parallel, tt.accounts))
		})
	}
}

// Sweeps never overlap (docs/class-page.md): with --every shorter than a
// sweep, Run starts the next sweep only when the last one ended. Every
// check records how many sweeps had ended when it began: the two checks
// of sweep n see n-1.
func TestSweepsDoNotOverlap(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var (
		mu   sync.Mutex
		seen []int
		s    *Sweeper
	)
	check := func(_ context.Context, st classes.Stack) status.Row {
		ended := s.Page().Watch.Sweeps
		mu.Lock()
		seen = append(seen, ended)
		if len(seen) == 6 {
			cancel()
		}
		mu.Unlock()
		return status.Row{Stack: st.Name, Cells: []status.Cell{{Column: "task1", Status: status.StatusPass}}}
	}
	s = &Sweeper{Class: "c", Mode: class.ByHand, Stacks: stacks(2), Check: check, Every: time.Nanosecond,
		StaleAfter: time.Hour, Parallel: 2, After: never}
	s.Run(ctx)
	mu.Lock()
	defer mu.Unlock()
	require.GreaterOrEqual(t, len(seen), 6)
	assert.Equal(t, []int{0, 0, 1, 1, 2, 2}, seen[:6], "sweeps ended when each check began")
}

// One slow account does not hold back the rest: the sweep moves on when
// its stale timer fires, the account keeps its last result marked stale,
// and the next sweep leaves it alone while its check still runs. The
// timer is the test's.
func TestSlowAccountIsStale(t *testing.T) {
	slow := "c-acct01"
	c := &counter{block: map[string]chan struct{}{}, entered: make(chan string, 16), pass: func(string, int64) bool { return true }}
	clock := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	var clockMu sync.Mutex
	now := func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return clock }
	fire := make(chan time.Time)
	lines := &lineWriter{ch: make(chan string, 64)}
	s := &Sweeper{Class: "c", Mode: class.ByHand, Stacks: stacks(3), Check: c.check, Every: time.Minute,
		StaleAfter: time.Minute, Parallel: 3, Now: now, Progress: lines,
		After: func(time.Duration) <-chan time.Time { return fire }}
	s.sweep(context.Background())
	// What sweep 1 said is read, so that what follows is sweep 2's.
	waitFor(t, lines.ch, "sweep 1 done")
	for range 3 {
		<-c.entered
	}
	first := s.Page()
	require.Equal(t, 1, first.Watch.Sweeps)
	t0 := now()
	for _, a := range first.Accounts {
		assert.False(t, a.Stale, a.Stack)
		require.NotNil(t, a.CheckedAt, a.Stack)
		assert.Equal(t, t0, *a.CheckedAt)
		assert.Equal(t, map[string]time.Time{"task3": t0}, a.FirstPassedAt, "first passed in the first sweep")
	}

	// Sweep 2: the slow account's check hangs; the others answer, then
	// its timer fires.
	release := make(chan struct{})
	c.block[slow] = release
	clockMu.Lock()
	clock = clock.Add(time.Minute)
	clockMu.Unlock()
	t1 := now()
	swept := make(chan struct{})
	go func() { s.sweep(context.Background()); close(swept) }()
	waitFor(t, lines.ch, "] c-acct02 ", "] c-acct03 ")
	waitFor(t, c.entered, slow) // its check has begun, and hangs
	fire <- time.Time{}
	<-swept
	second := s.Page()
	assert.True(t, second.Accounts[0].Stale, "the slow account is marked stale")
	assert.Equal(t, status.StatusPass, second.Accounts[0].Status, "and keeps its last result")
	assert.Equal(t, t0, *second.Accounts[0].CheckedAt, "from the first sweep")
	assert.False(t, second.Accounts[1].Stale)
	assert.Equal(t, t1, *second.Accounts[1].CheckedAt)
	assert.Equal(t, t0, second.Accounts[1].FirstPassedAt["task3"], "firstPassedAt keeps the first time")

	calls := c.calls.Load()
	s.sweep(context.Background())
	assert.Equal(t, calls+2, c.calls.Load(), "the third sweep left the account still being checked alone")
	assert.True(t, s.Page().Accounts[0].Stale)
	close(release)
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
		enteredA  = make(chan string, 2)
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
			enteredA <- st.Name
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
	waitFor(t, lines.ch, "] c-acct02 100000000002: 1/1 pass (", "] c-acct03 100000000003: 1/1 pass (")
	waitFor(t, enteredA, "c-acct01")
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

// waitFor reads lines until each of want has been in one, in any order.
func waitFor(t *testing.T, lines <-chan string, want ...string) {
	t.Helper()
	left := append([]string(nil), want...)
	timeout := time.After(10 * time.Second)
	for len(left) > 0 {
		select {
		case l := <-lines:
			left = slices.DeleteFunc(left, func(w string) bool { return strings.Contains(l, w) })
		case <-timeout:
			t.Fatalf("no progress line with %q", left)
		}
	}
}
