package status

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
)

// writeCSV writes one line per account for a spreadsheet or a
// learning-management system's gradebook import: RFC 4180 (encoding/csv
// quotes a cell holding a comma, a quote or a line break), and no cell a
// spreadsheet would run as a formula. The header is docs/report.md's, and
// stable: stack, [student, email, student_id,] account, region, one column
// per task or check group by its id, passed, total, checked_at.
func writeCSV(w io.Writer, r *Result) error {
	students := hasStudents(r)
	head := []string{"stack"}
	if students {
		head = append(head, "student", "email", "student_id")
	}
	head = append(head, "account", "region")
	for _, c := range r.Columns {
		head = append(head, c.ID)
	}
	head = append(head, "passed", "total", "checked_at")

	var b strings.Builder
	cw := csv.NewWriter(&b)
	_ = cw.Write(head)
	checked := r.GeneratedAt.UTC().Format(time.RFC3339)
	for _, row := range r.Accounts {
		line := []string{row.Stack}
		if students {
			var s class.Student
			if row.Student != nil {
				s = *row.Student
			}
			line = append(line, s.Name, s.Email, s.ID)
		}
		line = append(line, row.Account, row.Region)
		passed := 0
		for _, col := range r.Columns {
			c, ok := cellOf(row, col.ID)
			if !ok {
				c.Status = notChecked(row)
			}
			if c.Status == StatusPass {
				passed++
			}
			line = append(line, string(c.Status))
		}
		line = append(line, strconv.Itoa(passed), strconv.Itoa(len(r.Columns)), checked)
		for i := range line {
			line[i] = neutralise(line[i])
		}
		_ = cw.Write(line)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// neutralise keeps a spreadsheet from reading a cell as a formula: a cell
// that starts with =, +, -, @, a tab or a carriage return gets a single
// quote in front (OWASP, "CSV Injection"). Students choose some of what is
// written (a name in the roster, a stack's name), so any cell may.
func neutralise(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
