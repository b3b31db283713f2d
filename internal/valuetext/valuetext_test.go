package valuetext

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Issue 24: a 5,000-character value is cut in a message, with its length;
// a short one is shown whole.
func TestQuote(t *testing.T) {
	long := strings.Repeat("a", 5000)
	tests := []struct {
		name, in, quoted, plain string
	}{
		{"empty", "", `""`, ""},
		{"short", "myTrail", `"myTrail"`, "myTrail"},
		{"at the limit", strings.Repeat("b", 120), `"` + strings.Repeat("b", 120) + `"`, strings.Repeat("b", 120)},
		{"long", long, `"` + strings.Repeat("a", 60) + `..." (5000 characters)`, strings.Repeat("a", 60) + "... (5000 characters)"},
		{"long, not ASCII", strings.Repeat("é", 200), `"` + strings.Repeat("é", 60) + `..." (200 characters)`, strings.Repeat("é", 60) + "... (200 characters)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.quoted, Quote(tt.in))
			assert.Equal(t, tt.plain, Plain(tt.in))
		})
	}
}
