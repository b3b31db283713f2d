package clean

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// ClassFormats are class clean's --format values.
func ClassFormats() []string { return []string{"table", "json", "markdown"} }

// rowSummary is an account's result in a few words.
func rowSummary(a AccountResult) string {
	switch a.Status {
	case accountUnreachable:
		return "unreachable: " + a.Error
	case accountPlanned:
		return fmt.Sprintf("would remove %d", planned(a.Actions))
	case accountLeft:
		var left []string
		for _, x := range a.Actions {
			if x.Status == statusFailed || (x.Status == statusKept && x.Stack != "") {
				left = append(left, x.Type+" "+x.Name)
			}
		}
		return "left: " + strings.Join(left, ", ")
	}
	done := 0
	for _, x := range a.Actions {
		if x.Status == statusDone && x.Action != actionNone {
			done++
		}
	}
	if done == 0 {
		return "clean: nothing to remove"
	}
	return fmt.Sprintf("clean: %d removed", done)
}

// rowDetail names the resources behind an account's result: what a dry
// run would remove or a run removed, then what failed or was kept, and
// why. The per-resource details (sizes, dates, costs) are in --format json.
func rowDetail(a AccountResult) string {
	var planned, removed, why []string
	for _, x := range a.Actions {
		switch {
		case x.Status == statusPlanned:
			planned = append(planned, x.Type+" "+x.Name)
		case x.Status == statusDone && x.Action != actionNone:
			removed = append(removed, x.Type+" "+x.Name)
		case x.Status == statusFailed || x.Status == statusKept:
			why = append(why, fmt.Sprintf("%s %s: %s", x.Type, x.Name, x.Detail))
		}
	}
	var d []string
	if len(planned) > 0 {
		d = append(d, "would remove "+strings.Join(planned, ", "))
	}
	if len(removed) > 0 {
		d = append(d, "removed "+strings.Join(removed, ", "))
	}
	return strings.Join(append(d, why...), "; ")
}

// WriteClass renders the class report as format (one of ClassFormats).
func WriteClass(w io.Writer, r *ClassReport, format string) error {
	var b strings.Builder
	students := r.hasStudents()
	switch format {
	case "json":
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("rendering the class report: %w", err)
		}
	case "markdown":
		mode := "removed"
		if r.DryRun {
			mode = "dry run, nothing removed"
		}
		fmt.Fprintf(&b, "## labctl class clean: %s (%s)\n\n", r.Class, mode)
		if students {
			b.WriteString("| stack | student | account | region | result | detail |\n|---|---|---|---|---|---|\n")
		} else {
			b.WriteString("| stack | account | region | result | detail |\n|---|---|---|---|---|\n")
		}
		for _, a := range r.Accounts {
			cells := []string{a.Stack, a.Account, a.Region, rowSummary(a), rowDetail(a)}
			if students {
				cells = slices.Insert(cells, 1, studentName(a))
			}
			for i, c := range cells {
				cells[i] = mdCell(c)
			}
			fmt.Fprintf(&b, "| %s |\n", strings.Join(cells, " | "))
		}
	case "table":
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		head := []string{"STACK", "ACCOUNT", "REGION", "RESULT", "DETAIL"}
		if students {
			head = slices.Insert(head, 1, "STUDENT")
		}
		fmt.Fprintln(tw, strings.Join(head, "\t"))
		for _, a := range r.Accounts {
			line := []string{a.Stack, a.Account, a.Region, rowSummary(a), rowDetail(a)}
			if students {
				line = slices.Insert(line, 1, studentName(a))
			}
			fmt.Fprintln(tw, strings.Join(line, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		switch {
		case r.DryRun && r.planned() == 0:
			b.WriteString("dry run: nothing was removed, and nothing is planned: --yes would remove nothing\n")
		case r.DryRun:
			b.WriteString("dry run: nothing was removed; run again with --yes to do the planned actions (each resource's details: --format json)\n")
		}
	default:
		return fmt.Errorf("format %q: use %s", format, strings.Join(ClassFormats(), ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// hasStudents says a roster named someone in the class: the table and the
// markdown then have a student column, as class status's do.
func (r *ClassReport) hasStudents() bool {
	for _, a := range r.Accounts {
		if a.Student != nil {
			return true
		}
	}
	return false
}

// studentName is an account's student, or "-" for a stack the roster does
// not name (the roster's mismatch lines say so).
func studentName(a AccountResult) string {
	if a.Student == nil {
		return "-"
	}
	return a.Student.Name
}

// planned counts the class's planned actions.
func (r *ClassReport) planned() int {
	n := 0
	for _, a := range r.Accounts {
		n += planned(a.Actions)
	}
	return n
}

func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
