package events

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleMatches(t *testing.T) []Match {
	t.Helper()
	m := NewMatcher(Query{Key: docKey(), Object: docObject(), Since: time.Date(2025, 5, 20, 20, 46, 0, 0, time.UTC), Until: time.Date(2025, 5, 20, 20, 47, 0, 0, time.UTC)})
	var out []Match
	for _, r := range []map[string]any{documentedRecord(t, "kms-generatedatakey-by-s3.json", 0), documentedRecord(t, "s3-putobject-getobject.json", 0)} {
		rec, raw := decodeRecord(t, r)
		match, ok := m.Match(&rec)
		require.True(t, ok)
		match.Raw = raw
		out = append(out, match)
	}
	return out
}

func TestWriteTable(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteTable(&buf, sampleMatches(t)))
	want := "" +
		"TIME                  EVENT SOURCE       EVENT NAME       PRINCIPAL                                                  SOURCE IP         KEY                                   OBJECT\n" +
		"2025-05-20T20:46:16Z  kms.amazonaws.com  GenerateDataKey  arn:aws:iam::111122223333:user/Alice via s3.amazonaws.com  s3.amazonaws.com  1234abcd-12ab-34cd-56ef-1234567890ab  lab-image.png\n" +
		"2025-05-20T20:46:17Z  s3.amazonaws.com   PutObject        arn:aws:iam::111122223333:user/Alice                       192.0.2.0         1234abcd-12ab-34cd-56ef-1234567890ab  lab-image.png\n"
	assert.Equal(t, want, buf.String())
}

func TestWriteTableWithoutMatchesPrintsTheHeader(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteTable(&buf, nil))
	assert.Equal(t, "TIME  EVENT SOURCE  EVENT NAME  PRINCIPAL  SOURCE IP  KEY  OBJECT\n", buf.String())
}

func TestWriteJSONPrintsTheRecordsThemselves(t *testing.T) {
	ms := sampleMatches(t)
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, ms))
	var got []map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got))
	require.Len(t, got, 2)
	for i, m := range ms {
		var want map[string]any
		require.NoError(t, json.Unmarshal(m.Raw, &want))
		assert.Equal(t, want, got[i], "record %d must be passed through unchanged", i)
	}
	assert.Equal(t, "a9dea4f9-8395-46c0-942c-f509c02c2b71", got[0]["eventID"])

	buf.Reset()
	require.NoError(t, WriteJSON(&buf, nil))
	assert.Equal(t, "[]\n", buf.String())
}
