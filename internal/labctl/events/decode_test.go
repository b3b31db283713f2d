package events

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// documentedGzip is a testdata/documented log file, gzipped as delivered.
func documentedGzip(t *testing.T, name string) []byte {
	t.Helper()
	plain, err := os.ReadFile(filepath.Join("testdata", "documented", name))
	require.NoError(t, err)
	return gz(t, string(plain))
}

func TestReadLogFileStreamsRecords(t *testing.T) {
	data := documentedGzip(t, "kms-decrypt-by-s3.json")
	var ids []string
	n, err := readLogFile(bytes.NewReader(data), func(raw []byte) error {
		var r Record
		require.NoError(t, json.Unmarshal(raw, &r))
		ids = append(ids, r.EventID)
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	assert.Equal(t, []string{"abcde202-ba1a-467c-b4ba-f729d45ae521", "bbcde202-ba1a-467c-b4ba-f729d45ae521"}, ids)
}

func TestReadLogFileRejects(t *testing.T) {
	good := documentedGzip(t, "kms-decrypt-by-s3.json")
	badCRC := append([]byte(nil), good...)
	badCRC[len(badCRC)-6] ^= 0xff // the CRC-32 in the gzip trailer

	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"empty object", nil, "empty file"},
		{"plain text", []byte("hello, this is not gzip"), "not gzip data"},
		{"truncated in transfer", good[:len(good)/2], "truncated file"},
		{"damaged checksum", badCRC, "corrupt gzip data"},
		{"JSON but no Records", gz(t, `{"logFiles":[]}`), "not a CloudTrail log file (no Records array)"},
		{"a JSON array", gz(t, `[{"eventID":"x"}]`), "not a CloudTrail log file"},
		{"Records holds non-objects", gz(t, `{"Records":[1,2]}`), "not a CloudTrail log file (a record is not a JSON object)"},
		{"broken JSON", gz(t, `{"Records":[{"eventID":"x",}]}`), "corrupt JSON"},
		{"data after the document", gz(t, `{"Records":[]} {"Records":[]}`), "corrupt JSON: data after the end of the document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readLogFile(bytes.NewReader(tt.data), func([]byte) error { return nil })
			var fe *FileError
			require.True(t, errors.As(err, &fe), "want a *FileError, got %v", err)
			assert.Contains(t, fe.Error(), tt.reason)
		})
	}
}

type failingReader struct{ after int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errors.New("connection reset by peer")
	}
	n := min(len(p), f.after)
	for i := range n {
		p[i] = 0x1f
	}
	f.after -= n
	return n, nil
}

func TestReadLogFileNamesDownloadFailures(t *testing.T) {
	good := documentedGzip(t, "kms-putkeypolicy.json")
	r := io.MultiReader(bytes.NewReader(good[:20]), &failingReader{})
	_, err := readLogFile(r, func([]byte) error { return nil })
	require.Error(t, err)
	assert.Equal(t, "download failed: connection reset by peer", err.Error())
}
