package account

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// WriteJSON writes s as indented JSON, the snapshot file's form.
func WriteJSON(w io.Writer, s *Snapshot) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the snapshot: %w", err)
	}
	if _, err := w.Write(append(data, '\n')); err != nil {
		return fmt.Errorf("writing the snapshot: %w", err)
	}
	return nil
}

// FileError is a snapshot file that cannot be graded: it names the file
// and the rule it breaks.
type FileError struct {
	Path   string
	Detail string
}

func (e *FileError) Error() string {
	return fmt.Sprintf("snapshot %s: %s (take one with `labctl snapshot --out FILE`)", e.Path, e.Detail)
}

// ReadFile reads a snapshot written by WriteJSON. Unknown members are
// refused, so that a hand-edited or newer file is not silently half read.
func ReadFile(path string) (*Snapshot, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FileError{Path: path, Detail: "cannot be read: " + pathError(err)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Snapshot
	if err := dec.Decode(&s); err != nil {
		return nil, &FileError{Path: path, Detail: "not a snapshot: " + jsonProblem(err)}
	}
	switch {
	case s.Version != Version:
		return nil, &FileError{Path: path, Detail: fmt.Sprintf("version %d, but this labctl reads version %d", s.Version, Version)}
	case s.Taken.Account == "" || s.Taken.Region == "":
		return nil, &FileError{Path: path, Detail: "taken.account and taken.region must be set"}
	}
	return &s, nil
}

func pathError(err error) string {
	var pe *os.PathError
	if e, ok := err.(*os.PathError); ok {
		pe = e
		return pe.Err.Error()
	}
	return err.Error()
}

// jsonProblem words a decoding error without Go's type names.
func jsonProblem(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("invalid JSON at byte %d", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("member %q holds a JSON %s where the snapshot has another kind of value", e.Field, e.Value)
	}
	if err == io.EOF {
		return "the file is empty"
	}
	return err.Error()
}
