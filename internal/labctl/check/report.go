// Package check grades an "Introduction to AWS KMS" lab that a student did
// by hand in the console. It finds the lab's resources by the names the lab
// guide gives, runs verify's checks against the guide's expectations, reads
// the trail's log files for tasks 5 and 6, and reports each of the guide's
// six tasks as pass, fail (with a hint for the student) or unknown.
package check

import (
	"fmt"
	"io"
	"strings"

	"github.com/kms-lab/kms-lab/internal/report"
)

// Status is a task's or a check's grade, in report's vocabulary.
type Status = report.Status

// The grades check gives. (The names are kept short for the grading code.)
const (
	Pass    = report.Pass
	Fail    = report.Fail
	Unknown = report.Unknown // could not be graded: access denied, throttled, or logs not delivered yet
)

// Task is one of the lab guide's six tasks.
type Task struct {
	Task   int    `json:"task"`
	Title  string `json:"title"`
	Status Status `json:"status"`
	// Checks are in report's one check type: the detail is what was seen
	// and, for a failure, what was expected; the hint is what the student
	// does about a failure, for the cause seen; the cause is the failure's
	// stable key, never empty on a check that does not pass (the class page
	// groups a class's failures by it).
	Checks []report.Check `json:"checks"`
}

// Report is the grade of one lab account.
type Report struct {
	Tasks []Task `json:"tasks"`
	// unread counts the unknown checks a failed read caused (denied,
	// throttled, 5xx), as against logs not delivered yet.
	unread int
}

// newReport is a report of the guide's six tasks, with no checks yet.
func newReport() *Report {
	r := &Report{}
	for t := 1; t <= 6; t++ {
		r.Tasks = append(r.Tasks, Task{Task: t, Title: Title(t), Checks: []report.Check{}})
	}
	return r
}

// add puts a check under its task.
func (r *Report) add(it taskItem) {
	r.Tasks[it.task-1].Checks = append(r.Tasks[it.task-1].Checks, it.Check)
	if it.unread && it.Status == Unknown {
		r.unread++
	}
}

// Title is the lab guide's title of task n (1-6), "" for any other n.
func Title(n int) string {
	switch n {
	case 1:
		return "Create your KMS master key"
	case 2:
		return "Configure CloudTrail to store logs in a new S3 bucket"
	case 3:
		return "Upload an image to your S3 bucket and encrypt it"
	case 4:
		return "Access the encrypted image"
	case 5:
		return "Monitor KMS activity using CloudTrail logs"
	case 6:
		return "Manage encryption keys"
	}
	return ""
}

// summarize sets each task's status from its checks: any fail fails it,
// else any unknown makes it unknown. A check that does not pass and has no
// cause of its own is its own cause, by name.
func (r *Report) summarize() {
	for i := range r.Tasks {
		t := &r.Tasks[i]
		t.Status = Pass
		for j := range t.Checks {
			c := &t.Checks[j]
			if c.Status != Pass && c.Cause == "" {
				c.Cause = c.Name
			}
			switch {
			case c.Status == Fail:
				t.Status = Fail
			case c.Status == Unknown && t.Status == Pass:
				t.Status = Unknown
			}
		}
	}
}

// Outcome is the grade as a whole, in report's vocabulary; the command
// layer turns it into the exit code. It is Pass when every task passes;
// Fail when one fails, or is unknown only because logs are not delivered
// yet (the lab is not done yet, not unreadable); Unknown when access was
// denied for something a task needs and none failed.
func (r *Report) Outcome() Status {
	unknown := false
	for _, t := range r.Tasks {
		for _, c := range t.Checks {
			switch c.Status {
			case Fail:
				return Fail
			case Unknown:
				unknown = true
			}
		}
	}
	switch {
	case r.unread > 0:
		return Unknown
	case unknown:
		return Fail
	}
	return Pass
}

// WriteJSON prints {"tasks": [...]}.
func WriteJSON(w io.Writer, r *Report) error { return report.WriteJSON(w, r) }

// WriteText prints one line per task and, under a task that does not
// pass, its checks that do not pass, then a summary line, all in report's
// lower-case words.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	counts := map[Status]int{}
	for _, t := range r.Tasks {
		counts[t.Status]++
		fmt.Fprintf(&b, "%-7s task %d  %s\n", t.Status, t.Task, t.Title)
		for _, c := range t.Checks {
			if c.Status != Pass {
				fmt.Fprintf(&b, "          %-7s %s: %s\n", c.Status, c.Name, c.Text())
			}
		}
	}
	b.WriteString(report.Summary(len(r.Tasks), "task", counts))
	b.WriteByte('\n')
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return nil
}
