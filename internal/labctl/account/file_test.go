package account

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadFile: a snapshot file is read back as written, and a file that
// is not one is refused with its path and the rule it breaks, in words.
func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	good := &Snapshot{Version: Version, Taken: Taken{By: "arn:aws:iam::111122223333:user/a", Account: "111122223333", Region: "us-west-2",
		At: time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC), Command: "check"}, Key: Key{Policy: Absent[string]()}}
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, good))
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	got, err := ReadFile(write("good.json", buf.String()))
	require.NoError(t, err)
	assert.Equal(t, good, got)

	tests := []struct {
		name, body, want string
	}{
		{"empty", "", "not a snapshot: the file is empty"},
		{"not JSON", "{", "not a snapshot:"},
		{"another version", `{"version": 2, "taken": {"account": "1", "region": "r"}}`, "version 2, but this labctl reads version 1"},
		{"an unknown member", `{"version": 1, "verison": 1}`, `unknown field "verison"`},
		{"no account", `{"version": 1, "taken": {"region": "us-west-2"}}`, "taken.account and taken.region must be set"},
		{"a value of another kind", `{"version": "1"}`, `member "version" holds a JSON string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(tt.name+".json", tt.body)
			_, err := ReadFile(p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "snapshot "+p+": ")
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "account.Snapshot", "no Go type names")
		})
	}
	_, err = ReadFile(filepath.Join(dir, "missing.json"))
	assert.ErrorContains(t, err, "cannot be read: no such file or directory")
}
