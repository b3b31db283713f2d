package watch

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
)

// /status.json's watch object gives, in seconds, the interval and the wait
// after which a sweep moves on without an account: StaleAfter, or one
// interval when unset (docs/class-page.md), never 0.
func TestPageWatchStaleAfter(t *testing.T) {
	tests := []struct {
		name              string
		every, staleAfter time.Duration
		wantEvery, want   int
	}{
		{"unset: one interval", time.Minute, 0, 60, 60},
		{"set", 2 * time.Minute, 30 * time.Second, 120, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Sweeper{Class: "c", Mode: class.ByHand, Stacks: stacks(1), Every: tt.every, StaleAfter: tt.staleAfter, Parallel: 1}
			s.init()
			w := s.Page().Watch
			assert.Equal(t, tt.wantEvery, w.Every)
			assert.Equal(t, tt.want, w.StaleAfter)
		})
	}
}
