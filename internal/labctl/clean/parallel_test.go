package clean

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/testenv/gate"
)

func stacks(n int) []classes.Stack {
	var out []classes.Stack
	for i := range n {
		out = append(out, classes.Stack{Name: fmt.Sprintf("c-acct%02d", i+1), Account: fmt.Sprintf("1%011d", i+1), Region: "us-west-2"})
	}
	return out
}

// `class clean --parallel N` sets the "accounts cleaned at once" (the flag's
// help; docs/teardown.md: "8 accounts at a time" at the default), and issue
// 17 asks that it run N accounts at once and never more: with more accounts
// than N, exactly N are in progress together; with fewer, all of them.
// Every account is attempted once. The connector passes a gate of N
// (internal/testenv/gate): each call is an account being cleaned, from
// connecting on.
func TestClassRunnerParallelIsExactlyN(t *testing.T) {
	tests := []struct{ accounts, parallel int }{{12, 1}, {12, 4}, {20, 8}, {3, 8}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d accounts, --parallel %d", tt.accounts, tt.parallel), func(t *testing.T) {
			want := min(tt.parallel, tt.accounts)
			c := gate.NewConnector(want)
			r := &ClassRunner{Class: &class.Class{Name: "c", Stacks: stacks(tt.accounts)}, Connect: c.Connect,
				Options: GuideOptions(), Parallel: tt.parallel}
			rep := r.Run(context.Background())

			assert.Equal(t, int64(want), c.Peak(), "--parallel %d with %d accounts: accounts in progress at once", tt.parallel, tt.accounts)
			assert.Zero(t, c.Timeouts(), "calls that waited in vain for %d accounts at once", want)
			assert.Equal(t, int64(tt.accounts), c.Calls(), "each account connected once")
			assert.Equal(t, map[string]int{"us-west-2": tt.accounts}, c.Regions(), "each stack's region reaches the connector")
			require.Len(t, rep.Accounts, tt.accounts)
			for i, a := range rep.Accounts {
				assert.Equal(t, fmt.Sprintf("c-acct%02d", i+1), a.Stack, "rows in the class's stack order")
				assert.Equal(t, accountUnreachable, a.Status)
				assert.Contains(t, a.Error, gate.ErrStub.Error())
			}
			assert.Equal(t, Denied, rep.Outcome(), "an account not reached leaves the class not known clean")
		})
	}
}
