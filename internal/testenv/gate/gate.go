// Package gate holds callers until a given number are in at once, for
// tests that prove a runner works on exactly N things at a time: a runner
// that starts fewer never fills the gate (each caller times out), one that
// starts more shows it in Peak. Connector is such a gate in the shape of
// labctl's AWS connector, for the class runners' tests.
package gate

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Gate counts the callers of Pass. Its zero value is not usable; use New.
type Gate struct {
	want                        int64
	inFlight, peak, calls, lost atomic.Int64
	reached                     chan struct{}
	once                        sync.Once
}

// New returns a gate that opens when want callers are in Pass at once.
func New(want int) *Gate {
	return &Gate{want: int64(want), reached: make(chan struct{})}
}

// Pass waits until want callers are in at once (or a second has gone by,
// or ctx is done), then stays a moment longer, so that a runner starting
// more than want would show it in Peak.
func (g *Gate) Pass(ctx context.Context) {
	n := g.inFlight.Add(1)
	defer g.inFlight.Add(-1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			break
		}
	}
	g.calls.Add(1)
	if n >= g.want {
		g.once.Do(func() { close(g.reached) })
	}
	select {
	case <-g.reached:
	case <-time.After(time.Second):
		g.lost.Add(1)
	case <-ctx.Done():
	}
	time.Sleep(20 * time.Millisecond)
}

// Peak is the most callers that were in Pass at once.
func (g *Gate) Peak() int64 { return g.peak.Load() }

// Calls counts the calls of Pass.
func (g *Gate) Calls() int64 { return g.calls.Load() }

// Timeouts counts the calls that gave up waiting for want callers.
func (g *Gate) Timeouts() int64 { return g.lost.Load() }
