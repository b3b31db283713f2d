package status

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/testenv/gate"
)

// `class status --parallel N` sets the "accounts checked at once" (the
// flag's help; docs/labctl.md: "checks every lab account of a class, 8 at a
// time (`--parallel N`)"), and issue 17 asks that it run N accounts at once
// and never more: with more accounts than N, exactly N are in progress
// together; with fewer, all of them. Every account is attempted once, each
// with its own stack's profile. (class watch's sweeps have their own test,
// internal/labctl/watch.) The connector passes a gate of N
// (internal/testenv/gate): each call is an account being checked, and in
// by-hand mode connecting is its first step.
func TestRunnerParallelIsExactlyN(t *testing.T) {
	tests := []struct{ accounts, parallel int }{{12, 1}, {12, 4}, {20, 8}, {3, 8}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d accounts, --parallel %d", tt.accounts, tt.parallel), func(t *testing.T) {
			want := min(tt.parallel, tt.accounts)
			var stacks []classes.Stack
			for i := range tt.accounts {
				stacks = append(stacks, classes.Stack{Name: fmt.Sprintf("c-acct%02d", i+1), Account: fmt.Sprintf("1%011d", i+1),
					Region: "us-west-2", Profile: fmt.Sprintf("acct%02d", i+1), Student: "arn:aws:iam::111122223333:user/student"})
			}
			c := gate.NewConnector(want)
			r := &Runner{Class: &class.Class{Name: "c", Mode: class.ByHand, Stacks: stacks}, Mode: class.ByHand, Parallel: tt.parallel,
				AWS: c.Connect, Now: func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }}
			res := r.Run(context.Background())

			assert.Equal(t, int64(want), c.Peak(), "--parallel %d with %d accounts: accounts in progress at once", tt.parallel, tt.accounts)
			assert.Zero(t, c.Timeouts(), "calls that waited in vain for %d accounts at once", want)
			assert.Equal(t, int64(tt.accounts), c.Calls(), "each account connected once")
			assert.Len(t, c.Profiles(), tt.accounts, "each account reached with its own stack's profile")
			require.Len(t, res.Accounts, tt.accounts)
			for _, row := range res.Accounts {
				assert.Equal(t, StatusError, row.Status, row.Stack)
				assert.Contains(t, row.Error, gate.ErrStub.Error(), row.Stack)
			}
		})
	}
}
