package events

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTime(t *testing.T) {
	now := time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"now", now},
		{"2026-11-26T17:50:00Z", time.Date(2026, 11, 26, 17, 50, 0, 0, time.UTC)},
		{"2026-11-26T09:50:00-08:00", time.Date(2026, 11, 26, 17, 50, 0, 0, time.UTC)},
		{"2026-11-26T17:50", time.Date(2026, 11, 26, 17, 50, 0, 0, time.UTC)},
		{"2026-11-26 17:50:30", time.Date(2026, 11, 26, 17, 50, 30, 0, time.UTC)},
		{"2026-11-25", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
		{"90m", now.Add(-90 * time.Minute)},
		{"2h", now.Add(-2 * time.Hour)},
		{"3d", now.Add(-72 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime(tt.in, now)
			require.NoError(t, err)
			assert.True(t, tt.want.Equal(got), "got %v", got)
		})
	}
	for _, bad := range []string{"yesterday", "-2h", "2026-13-01", "3 days"} {
		_, err := ParseTime(bad, now)
		assert.ErrorContains(t, err, "is not a time", bad)
	}
}
