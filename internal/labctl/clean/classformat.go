package clean

import (
	"encoding/json"
	"fmt"
	"io"
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
			if x.Status == statusFailed || (x.Status == statusKept && x.stack != "") {
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

// rowDetail is the details of an account's actions that a reader acts
// on: what failed or was kept, and why.
func rowDetail(a AccountResult) string {
	var d []string
	for _, x := range a.Actions {
		if x.Status == statusFailed || x.Status == statusKept {
			d = append(d, fmt.Sprintf("%s %s: %s", x.Type, x.Name, x.Detail))
		}
	}
	return strings.Join(d, "; ")
}

// WriteClass renders the class report as format (one of ClassFormats).
func WriteClass(w io.Writer, r *ClassReport, format string) error {
	var b strings.Builder
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
		fmt.Fprintf(&b, "## labctl class clean: %s (%s)\n\n| stack | account | region | result | detail |\n|---|---|---|---|---|\n", r.Class, mode)
		for _, a := range r.Accounts {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", a.Stack, a.Account, a.Region, mdCell(rowSummary(a)), mdCell(rowDetail(a)))
		}
	case "table":
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "STACK\tACCOUNT\tREGION\tRESULT\tDETAIL")
		for _, a := range r.Accounts {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Stack, a.Account, a.Region, rowSummary(a), rowDetail(a))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if r.DryRun {
			b.WriteString("dry run: nothing was removed; run again with --yes to do the planned actions\n")
		}
	default:
		return fmt.Errorf("format %q: use %s", format, strings.Join(ClassFormats(), ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
