package status

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/kms-lab/kms-lab/internal/report"
)

// Formats are the formats Write renders (the page, "html", is class/page's);
// each call returns a new slice.
func Formats() []string { return []string{"table", "json", "markdown", "csv"} }

// Write renders r in format.
func Write(w io.Writer, r *Result, format string) error {
	switch format {
	case "table":
		return writeTable(w, r)
	case "json":
		return report.WriteJSON(w, r)
	case "markdown":
		return writeMarkdown(w, r)
	case "csv":
		return writeCSV(w, r)
	}
	return fmt.Errorf("unknown format %q: use %s", format, strings.Join(Formats(), ", "))
}

func summary(r *Result) string {
	pass := "pass"
	if len(r.Accounts) == 1 {
		pass = "passes"
	}
	return fmt.Sprintf("class %s, %s mode, %s: %d of %s %s", r.Class, r.Mode,
		r.GeneratedAt.UTC().Format(time.RFC3339), r.Complete(), report.Plural(len(r.Accounts), "account"), pass)
}

// hasStudents says a roster named someone: the text formats then have a
// student column.
func hasStudents(r *Result) bool {
	for _, row := range r.Accounts {
		if row.Student != nil {
			return true
		}
	}
	return false
}

// Label is the stack with its student's name: "kms101-acct01 (Ada
// Okafor)", or the stack alone.
func (row Row) Label() string {
	if row.Student != nil {
		return row.Stack + " (" + row.Student.Name + ")"
	}
	return row.Stack
}

func studentName(row Row) string {
	if row.Student == nil {
		return "-"
	}
	return row.Student.Name
}

// cellOf finds a row's cell for a column.
func cellOf(row Row, col string) (Cell, bool) {
	for _, c := range row.Cells {
		if c.Column == col {
			return c, true
		}
	}
	return Cell{}, false
}

// writeTable prints a grid of statuses, then each problem on its own line.
func writeTable(w io.Writer, r *Result) error {
	var b strings.Builder
	fmt.Fprintln(&b, summary(r))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	students := hasStudents(r)
	head := []string{"STACK", "ACCOUNT", "REGION"}
	if students {
		head = []string{"STACK", "STUDENT", "ACCOUNT", "REGION"}
	}
	for _, c := range r.Columns {
		head = append(head, strings.ToUpper(c.ID))
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, row := range r.Accounts {
		line := []string{row.Stack, orDash(row.Account), row.Region}
		if students {
			line = []string{row.Stack, studentName(row), orDash(row.Account), row.Region}
		}
		for _, col := range r.Columns {
			if c, ok := cellOf(row, col.ID); ok {
				line = append(line, string(c.Status))
			} else {
				line = append(line, string(notChecked(row)))
			}
		}
		fmt.Fprintln(tw, strings.Join(line, "\t"))
	}
	counts := []string{"PASS", "", ""}
	if students {
		counts = append(counts, "")
	}
	for _, c := range r.Columns {
		counts = append(counts, fmt.Sprintf("%d/%d", c.Pass, len(r.Accounts)))
	}
	fmt.Fprintln(tw, strings.Join(counts, "\t"))
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, row := range r.Accounts {
		if row.Error != "" {
			fmt.Fprintf(&b, "%s: not checked: %s\n", row.Label(), row.Error)
		}
		for _, c := range row.Cells {
			for _, d := range c.Details {
				fmt.Fprintf(&b, "%s %s: %s\n", row.Label(), c.Column, d)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// notChecked is the mark of a cell of an account that was not checked:
// unknown when AWS throttled or failed the account's first reads, error
// when it could not be reached at all.
func notChecked(row Row) Status {
	if row.Status == StatusUnknown {
		return StatusUnknown
	}
	return StatusError
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

var mdEscaper = strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;")

// writeMarkdown prints the grid as a GitHub table, for a pull request or
// an issue comment, with the details under it.
func writeMarkdown(w io.Writer, r *Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n", mdEscaper.Replace(summary(r)))
	students := hasStudents(r)
	head := "| stack | account |"
	sep := "|---|---|"
	if students {
		head, sep = "| stack | student | account |", "|---|---|---|"
	}
	for _, c := range r.Columns {
		head += " " + mdEscaper.Replace(c.Title) + " |"
		sep += ":-:|"
	}
	fmt.Fprintf(&b, "%s\n%s\n", head, sep)
	icons := map[Status]string{StatusPass: "✅ pass", StatusFail: "❌ fail", StatusUnknown: "❔ unknown", StatusError: "⚠️ error"}
	for _, row := range r.Accounts {
		line := fmt.Sprintf("| %s | %s |", mdEscaper.Replace(row.Stack), orDash(row.Account))
		if students {
			line = fmt.Sprintf("| %s | %s | %s |", mdEscaper.Replace(row.Stack), mdEscaper.Replace(studentName(row)), orDash(row.Account))
		}
		for _, col := range r.Columns {
			c, ok := cellOf(row, col.ID)
			if !ok {
				c.Status = notChecked(row)
			}
			line += " " + icons[c.Status] + " |"
		}
		fmt.Fprintln(&b, line)
	}
	line := "| **pass** | |"
	if students {
		line += " |"
	}
	for _, c := range r.Columns {
		line += fmt.Sprintf(" %d/%d |", c.Pass, len(r.Accounts))
	}
	fmt.Fprintln(&b, line)
	var details []string
	for _, row := range r.Accounts {
		if row.Error != "" {
			details = append(details, fmt.Sprintf("- **%s**: not checked: %s", mdEscaper.Replace(row.Label()), mdEscaper.Replace(row.Error)))
		}
		for _, c := range row.Cells {
			for _, d := range c.Details {
				details = append(details, fmt.Sprintf("- **%s** %s: %s", mdEscaper.Replace(row.Label()), c.Column, mdEscaper.Replace(d)))
			}
		}
	}
	if len(details) > 0 {
		fmt.Fprintf(&b, "\n%s\n", strings.Join(details, "\n"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
