package drift

import (
	"fmt"
	"strings"
)

// Markdown renders the report as the workflow's job summary: one row per
// stack, and for a drifted stack one line per changed resource in each of
// the three right-hand columns.
func Markdown(r Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Drift: %d stack(s): %d in sync, %d drifted, %d unreachable\n\n",
		len(r.Stacks), r.InSync, r.Drifted, r.Unreachable)
	b.WriteString("Drift is reported, not reverted. `pulumi up` would put the code's values back; ")
	b.WriteString("`pulumi refresh` would accept AWS's values into the state.\n\n")
	b.WriteString("| class | stack | account | status | what changed | `pulumi up` would (revert) | `pulumi refresh` would (accept) |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for _, s := range r.Stacks {
		var what, revert, accept []string
		switch s.Status {
		case Drifted:
			for _, c := range s.Changes {
				var props []string
				for _, p := range c.Properties {
					props = append(props, p.Summary)
				}
				line := c.Resource + " (" + c.Op + ")"
				if len(props) > 0 {
					line = c.Resource + ": " + strings.Join(props, "; ")
				} else if c.Op == "create" {
					line = c.Resource + ": deleted outside Pulumi"
				}
				what = append(what, line)
				revert = append(revert, c.Resource+": "+c.Revert)
				accept = append(accept, c.Resource+": "+c.Accept)
			}
		case Unreachable:
			what = []string{"not checked: " + s.Reason}
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s | %s |\n",
			cell(s.Class), s.Stack, cell(s.Account), status(s.Status),
			cells(what), cells(revert), cells(accept))
	}
	return b.String()
}

func status(s string) string {
	switch s {
	case Drifted:
		return "**drifted**"
	case Unreachable:
		return "**unreachable**"
	}
	return s
}

func cells(lines []string) string {
	if len(lines) == 0 {
		return "-"
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = cell(l)
	}
	return strings.Join(out, "<br>")
}

// cell keeps a value inside its table cell.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
