package events

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// errNotCloudTrail marks a file that decodes but is not a CloudTrail log
// file, such as a digest or an unrelated upload under the log prefix.
var errNotCloudTrail = errors.New("not a CloudTrail log file")

// FileError says why one log file could not be read. Files with an error are
// skipped and reported; the rest of the search goes on.
type FileError struct {
	Reason string
	Err    error
}

func (e *FileError) Error() string {
	// errNotCloudTrail only marks the kind; Reason already says it.
	if e.Err == nil || e.Err == errNotCloudTrail {
		return e.Reason
	}
	return e.Reason + ": " + e.Err.Error()
}
func (e *FileError) Unwrap() error { return e.Err }

// sourceError marks a failure of the underlying reader (the download), so it
// is not mistaken for bad data.
type sourceError struct{ err error }

func (e *sourceError) Error() string { return e.err.Error() }
func (e *sourceError) Unwrap() error { return e.err }

type sourceReader struct{ r io.Reader }

func (s sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		err = &sourceError{err}
	}
	return n, err
}

// readLogFile decodes a gzipped CloudTrail log file, {"Records":[...]}, one
// record at a time and calls fn with each record's raw JSON. raw is only
// valid during the call. Memory use is bounded by the largest record, not
// the file. Any failure is a *FileError.
func readLogFile(r io.Reader, fn func(raw []byte) error) (records int, err error) {
	br := bufio.NewReaderSize(sourceReader{r}, 64<<10)
	zr, err := gzip.NewReader(br)
	if err == io.EOF {
		return 0, &FileError{Reason: "empty file"}
	}
	if err != nil {
		return 0, classify(err, "not gzip data")
	}
	defer zr.Close()
	return readRecords(zr, fn)
}

func readRecords(r io.Reader, fn func(raw []byte) error) (records int, err error) {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return 0, err
	}
	sawRecords := false
	var raw json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return records, classify(err, "corrupt JSON")
		}
		name, _ := tok.(string)
		if name != "Records" {
			// CloudTrail files hold only Records; other members are
			// tolerated so that a future format addition does not break the
			// search.
			if err := dec.Decode(&raw); err != nil {
				return records, classify(err, "corrupt JSON")
			}
			continue
		}
		if err := expectDelim(dec, '['); err != nil {
			return records, err
		}
		sawRecords = true
		for dec.More() {
			if err := dec.Decode(&raw); err != nil {
				return records, classify(err, "corrupt JSON")
			}
			if len(raw) == 0 || raw[0] != '{' {
				return records, &FileError{Reason: errNotCloudTrail.Error() + " (a record is not a JSON object)", Err: errNotCloudTrail}
			}
			records++
			if err := fn(raw); err != nil {
				return records, err
			}
		}
		if err := expectDelim(dec, ']'); err != nil {
			return records, err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return records, err
	}
	if !sawRecords {
		return records, &FileError{Reason: errNotCloudTrail.Error() + " (no Records array)", Err: errNotCloudTrail}
	}
	// Reading to the end makes gzip verify its checksum and length, and
	// catches data after the document.
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return records, &FileError{Reason: "corrupt JSON: data after the end of the document"}
		}
		return records, classify(err, "corrupt data")
	}
	return records, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return classify(err, "corrupt JSON")
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return &FileError{Reason: fmt.Sprintf("%s (expected %q, found %v)", errNotCloudTrail, want, tok), Err: errNotCloudTrail}
	}
	return nil
}

// classify names the usual failures in words a user searches for.
func classify(err error, fallback string) error {
	var fe *FileError
	var se *sourceError
	var syn *json.SyntaxError
	var flateErr flate.CorruptInputError
	switch {
	case errors.As(err, &fe):
		return err
	case errors.As(err, &se):
		return &FileError{Reason: "download failed", Err: se.err}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &FileError{Reason: "truncated file", Err: io.ErrUnexpectedEOF}
	case errors.Is(err, gzip.ErrChecksum), errors.As(err, &flateErr):
		return &FileError{Reason: "corrupt gzip data", Err: err}
	case errors.Is(err, gzip.ErrHeader):
		return &FileError{Reason: "not gzip data", Err: err}
	case errors.As(err, &syn):
		return &FileError{Reason: "corrupt JSON", Err: err}
	}
	return &FileError{Reason: fallback, Err: err}
}
