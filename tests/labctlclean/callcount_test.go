package labctlclean_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// TestCleanCallCount counts the AWS requests `labctl clean` makes of a
// complete lab done by hand (tasks 1 to 3, five log files): issue 20 asks
// that reading the account through the one model makes no more than
// clean's own reader did, 13 for the dry run and 20 for --yes.
func TestCleanCallCount(t *testing.T) {
	moto := shared.Need(t)
	account := mototest.AccountFor(t, 8)
	buildLab(t, accountSDK(t, moto.URL, account, region))
	c := &mototest.Counter{}
	front := mototest.NewFront(t, moto.URL, c.Count)
	conn := connector(account, front.URL)

	_, stderr, code := runClean(t, conn, moto.URL, "--json")
	require.Equal(t, 0, code, "dry run: %s", stderr)
	n, calls := c.Take()
	t.Logf("labctl clean (dry run) made %d requests:\n%s", n, calls)
	assert.LessOrEqual(t, n, 13, "requests of the dry run:\n%s", calls)

	_, stderr, code = runClean(t, conn, moto.URL, "--json", "--yes")
	require.Equal(t, 0, code, "--yes: %s", stderr)
	n, calls = c.Take()
	t.Logf("labctl clean --yes made %d requests:\n%s", n, calls)
	assert.LessOrEqual(t, n, 20, "requests of --yes:\n%s", calls)
}
