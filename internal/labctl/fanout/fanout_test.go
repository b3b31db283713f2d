package fanout

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/gate"
)

// TestEachLimit: --parallel N "accounts checked at once" (docs/labctl.md)
// runs exactly N at once when there are more, all of them when there are
// fewer; every item runs once; results keep the items' order; one progress
// line per item, counted.
func TestEachLimit(t *testing.T) {
	tests := []struct{ items, limit int }{{12, 1}, {12, 4}, {20, 8}, {3, 8}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d items, limit %d", tt.items, tt.limit), func(t *testing.T) {
			g := gate.New(min(tt.items, tt.limit))
			items := make([]string, tt.items)
			for i := range items {
				items[i] = fmt.Sprintf("acct%02d", i+1)
			}
			var out bytes.Buffer
			p := NewProgress(&out, len(items), fixedClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)))
			got := Each(context.Background(), items, Options{Limit: tt.limit, Progress: p, Noun: "account"},
				func(s string) string { return s },
				func(ctx context.Context, s string) string { g.Pass(ctx); return strings.ToUpper(s) },
				func(s, r string) string { return s + ": " + r })

			assert.Equal(t, int64(min(tt.items, tt.limit)), g.Peak(), "at once")
			assert.Zero(t, g.Timeouts())
			assert.Equal(t, int64(tt.items), g.Calls(), "each item once")
			for i, r := range got {
				assert.Equal(t, strings.ToUpper(items[i]), r, "results in the items' order")
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			require.Len(t, lines, tt.items)
			assert.Regexp(t, fmt.Sprintf(`^\[1/%d\] acct\d\d: ACCT\d\d \(0\.0s\)$`, tt.items), lines[0])
			assert.Regexp(t, fmt.Sprintf(`^\[%d/%d\] `, tt.items, tt.items), lines[tt.items-1])
		})
	}
}

// TestWaiting: issue 24, "An endpoint that never answers": while items
// run, each tick prints which are still waiting and for how long, longest
// first, so that an instructor sees whom a silent endpoint holds up.
func TestWaiting(t *testing.T) {
	clock := newClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	lines := &lineWriter{ch: make(chan string, 16)}
	p := NewProgress(lines, 3, clock.now)
	tick := make(chan time.Time)
	started := make(chan string, 3)
	release := map[string]chan struct{}{"acct01": make(chan struct{}), "acct02": make(chan struct{}), "acct03": make(chan struct{})}
	done := make(chan []string)
	go func() {
		done <- Each(context.Background(), []string{"acct01", "acct02", "acct03"}, Options{Limit: 2, Progress: p, Noun: "account", WaitTick: tick},
			func(s string) string { return s },
			func(_ context.Context, s string) string { started <- s; <-release[s]; return "ok" },
			func(s, r string) string { return s + ": " + r })
	}()
	first := []string{<-started, <-started}
	assert.ElementsMatch(t, []string{"acct01", "acct02"}, first, "two at a time, in order")

	clock.add(45 * time.Second)
	tick <- time.Time{}
	assert.Equal(t, "waiting on 2 accounts (0 of 3 done): acct01 for 45s, acct02 for 45s\n", <-lines.ch)

	close(release["acct02"])
	assert.Equal(t, "[1/3] acct02: ok (45.0s)\n", <-lines.ch)
	assert.Equal(t, "acct03", <-started)
	clock.add(15 * time.Second)
	tick <- time.Time{}
	assert.Equal(t, "waiting on 2 accounts (1 of 3 done): acct01 for 1m0s, acct03 for 15s\n", <-lines.ch, "longest first")

	close(release["acct01"])
	close(release["acct03"])
	assert.Equal(t, []string{"ok", "ok", "ok"}, <-done)
}

type lineWriter struct{ ch chan string }

func (w *lineWriter) Write(b []byte) (int, error) {
	w.ch <- string(b)
	return len(b), nil
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }
