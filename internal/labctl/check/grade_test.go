package check

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

// TestMessagesSayWhereSinceCameFrom: labctl check's --since defaults to the
// key's creation (its help), and a message that names the time says which
// it is (issue 17, "--since confusion").
func TestMessagesSayWhereSinceCameFrom(t *testing.T) {
	created := time.Date(2026, 11, 26, 17, 20, 13, 0, time.UTC)
	uploaded := created.Add(3 * time.Minute)
	now := created.Add(10 * time.Minute)
	given := time.Date(2026, 11, 26, 16, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		since time.Time
		d     discovery
		want  string
	}{
		{"default, no image", time.Time{}, discovery{key: true, keyCreated: created},
			"no log file delivered yet since the key's creation, 2026-11-26T17:20:13Z;"},
		{"default, with the image", time.Time{}, discovery{key: true, object: true, keyCreated: created, uploaded: uploaded},
			"no log file delivered yet since the image's upload, 2026-11-26T17:23:13Z;"},
		{"--since before the key", given, discovery{key: true, keyCreated: created},
			"no log file delivered yet since --since, 2026-11-26T16:00:00Z;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, shown, from := account.Window(tt.since, tt.d.keyCreated)
			w := readWindow(account.Logs{Since: start, Shown: shown, From: from})
			o := &stackout.Outputs{KeyID: "k", ObjectKey: "Eiffel.jpg"}
			items := task5(o, tt.d, w, account.LogScan{}, now)
			require.NotEmpty(t, items)
			assert.Equal(t, Unknown, items[0].Status)
			assert.Contains(t, items[0].Detail, tt.want)
		})
	}
	// The default window reads from before the creation, where the
	// CreateKey record, stamped with its request's time, can be.
	start, shown, from := account.Window(time.Time{}, created)
	w := readWindow(account.Logs{Since: start, Shown: shown, From: from})
	assert.True(t, w.since.Before(created), "reads from %s", w.since)
	assert.Equal(t, "the key's creation, 2026-11-26T17:20:13Z", w.String())
}
