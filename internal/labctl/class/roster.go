package class

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/kms-lab/kms-lab/internal/classes"
)

// A roster is a CSV file that names the student behind each stack, so that
// an instructor reads names, not stacks: a header line, then one line per
// stack. It is personal data: it stays out of the repository
// (docs/classes.md gives the ignore pattern), and is read only by the
// class commands' --roster.
//
//	stack,name,email,id
//	kms101-acct01,"Okafor, Ada",ada@example.edu,s1001
//
// stack and name are required; email and id are optional columns.

// rosterColumns are a roster's columns, required first.
var rosterColumns = []string{"stack", "name", "email", "id"}

// Student is who does the lab in a stack's account.
type Student struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	ID    string `json:"id,omitempty"`
}

// Roster maps stacks to students. A nil *Roster is no roster: it names
// nobody.
type Roster struct {
	File    string
	byStack map[string]Student
}

// RosterError is every problem of a roster file, each with its line.
type RosterError struct {
	File     string
	Problems []string
}

func (e *RosterError) Error() string {
	return fmt.Sprintf("roster %s: %s", e.File, strings.Join(e.Problems, "; "))
}

// LoadRoster reads a roster file. Every problem of the file is reported
// together; whether it fits the class is Mismatches'.
func LoadRoster(path string) (*Roster, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, &RosterError{File: path, Problems: []string{"cannot read it: " + err.Error()}}
	}
	return ParseRoster(path, data)
}

// ParseRoster reads a roster's content; file names it in problems.
func ParseRoster(file string, data []byte) (*Roster, error) {
	// A spreadsheet saving "CSV UTF-8" starts the file with a byte order
	// mark; it is no part of the first column's name.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	rd := csv.NewReader(bytes.NewReader(data))
	rd.FieldsPerRecord = -1 // counted below, with the line named
	rd.TrimLeadingSpace = true
	bad := &RosterError{File: file}
	add := func(format string, args ...any) { bad.Problems = append(bad.Problems, fmt.Sprintf(format, args...)) }

	header, err := rd.Read()
	if errors.Is(err, io.EOF) {
		add("the file is empty: its first line is the header %s (email and id may be left out)", strings.Join(rosterColumns, ","))
		return nil, bad
	}
	if err != nil {
		add("%s", csvProblem(err))
		return nil, bad
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case !slices.Contains(rosterColumns, h):
			add("line 1: column %q: the columns are %s", h, strings.Join(rosterColumns, ", "))
		case col[h] != 0:
			add("line 1: column %q appears twice", h)
		default:
			col[h] = i + 1 // 0 is "absent"
		}
	}
	for _, req := range rosterColumns[:2] {
		if col[req] == 0 {
			add("line 1: no %q column: the header is %s (email and id may be left out)", req, strings.Join(rosterColumns, ","))
		}
	}
	if len(bad.Problems) > 0 {
		return nil, bad
	}
	get := func(rec []string, name string) string {
		if i := col[name]; i > 0 && i <= len(rec) {
			return strings.TrimSpace(rec[i-1])
		}
		return ""
	}
	r := &Roster{File: file, byStack: map[string]Student{}}
	seen := map[string]int{}
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			add("%s", csvProblem(err))
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err != csv.ErrFieldCount {
				// The reader cannot find the next record after a
				// broken quote: what follows is not read.
				break
			}
			continue
		}
		line, _ := rd.FieldPos(0)
		if len(rec) != len(header) {
			add("line %d: %d fields, the header has %d", line, len(rec), len(header))
			continue
		}
		stack, name := get(rec, "stack"), get(rec, "name")
		if stack == "" && name == "" && get(rec, "email") == "" && get(rec, "id") == "" {
			continue // a blank line between groups
		}
		switch {
		case stack == "":
			add("line %d: no stack for %s", line, quoteName(name))
		case name == "":
			add("line %d: stack %s has no name", line, stack)
		case seen[stack] != 0:
			add("line %d: stack %s is also on line %d: one student per stack", line, stack, seen[stack])
		default:
			seen[stack] = line
			r.byStack[stack] = Student{Name: name, Email: get(rec, "email"), ID: get(rec, "id")}
		}
		if e := get(rec, "email"); e != "" && !strings.Contains(e, "@") {
			add("line %d: email %q has no @", line, e)
		}
	}
	if len(bad.Problems) > 0 {
		return nil, bad
	}
	return r, nil
}

func quoteName(n string) string {
	if n == "" {
		return "a line"
	}
	return fmt.Sprintf("%q", n)
}

// csvProblem is a CSV reader's error in the file's terms: its line and
// what is wrong there, without the reader's own prefix.
func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("line %d, column %d: %s", pe.Line, pe.Column, pe.Err)
	}
	return err.Error()
}

// Student is the stack's student; nil when the roster does not name one.
func (r *Roster) Student(stack string) *Student {
	if r == nil {
		return nil
	}
	s, ok := r.byStack[stack]
	if !ok {
		return nil
	}
	return &s
}

// Label is the stack with its student's name, as progress lines name an
// account: "kms101-acct01 (Ada Okafor)", or the stack alone.
func (r *Roster) Label(stack string) string {
	if s := r.Student(stack); s != nil {
		return stack + " (" + s.Name + ")"
	}
	return stack
}

// Mismatches are the ways the roster and the class differ, every one,
// sorted: a row for a stack the class does not have, a stack with no row.
// Neither stops a run: the stack is reported without a name.
func (r *Roster) Mismatches(stacks []classes.Stack) []string {
	if r == nil {
		return nil
	}
	in := map[string]bool{}
	var out []string
	for _, st := range stacks {
		in[st.Name] = true
		if _, ok := r.byStack[st.Name]; !ok {
			out = append(out, fmt.Sprintf("stack %s has no line in the roster: it is shown without a name", st.Name))
		}
	}
	var extra []string
	for stack := range r.byStack {
		if !in[stack] {
			extra = append(extra, stack)
		}
	}
	sort.Strings(extra)
	for _, stack := range extra {
		out = append(out, fmt.Sprintf("the roster names %s for stack %s, which the class does not list", r.byStack[stack].Name, stack))
	}
	return out
}
