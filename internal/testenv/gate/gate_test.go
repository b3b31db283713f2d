package gate

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The gate's own promise: n callers at once against a gate of want fill it
// when n >= want (no timeouts, peak n), and time out when n < want.
func TestGate(t *testing.T) {
	tests := []struct {
		want, callers int
		wantTimeouts  int64
	}{
		{want: 3, callers: 3, wantTimeouts: 0},
		{want: 1, callers: 1, wantTimeouts: 0},
		{want: 4, callers: 2, wantTimeouts: 2},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("gate of %d, %d callers", tt.want, tt.callers), func(t *testing.T) {
			g := New(tt.want)
			var wg sync.WaitGroup
			for range tt.callers {
				wg.Go(func() { g.Pass(context.Background()) })
			}
			wg.Wait()
			assert.Equal(t, int64(tt.callers), g.Calls())
			assert.Equal(t, int64(tt.callers), g.Peak())
			assert.Equal(t, tt.wantTimeouts, g.Timeouts())
		})
	}
}
