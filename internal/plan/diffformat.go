package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteDiffText writes a resource-by-resource diff for a terminal.
func WriteDiffText(w io.Writer, changes []ResourceChange) error {
	tw := &treeWriter{w: w}
	if len(changes) == 0 {
		tw.printf("No changes.\n")
		return tw.err
	}
	tw.printf("%s\n", diffSummary(changes))
	for _, c := range changes {
		tw.printf("%s %s (%s)\n", kindMark(c.Kind), shortURN(c.URN), c.Type)
		for _, p := range c.Paths {
			tw.printf("    %s\n", pathLine(p))
		}
	}
	return tw.err
}

// WriteDiffMarkdown writes the diff for a pull-request comment.
func WriteDiffMarkdown(w io.Writer, title string, changes []ResourceChange) error {
	tw := &treeWriter{w: w}
	tw.printf("### kms-lab plan diff: %s\n\n", title)
	if len(changes) == 0 {
		tw.printf("No changes.\n")
		return tw.err
	}
	tw.printf("%s\n\n", diffSummary(changes))
	tw.printf("| | resource | type | changed paths |\n|---|---|---|---|\n")
	for _, c := range changes {
		var lines []string
		for _, p := range c.Paths {
			lines = append(lines, "`"+strings.ReplaceAll(pathLine(p), "|", "\\|")+"`")
		}
		tw.printf("| %s | `%s` | `%s` | %s |\n", kindMark(c.Kind), shortURN(c.URN), c.Type, strings.Join(lines, "<br>"))
	}
	return tw.err
}

func diffSummary(changes []ResourceChange) string {
	counts := map[ChangeKind]int{}
	for _, c := range changes {
		counts[c.Kind]++
	}
	return fmt.Sprintf("%d to add, %d to change, %d to remove.", counts[Added], counts[Changed], counts[Removed])
}

func kindMark(k ChangeKind) string {
	switch k {
	case Added:
		return "+"
	case Removed:
		return "-"
	}
	return "~"
}

func pathLine(p PathChange) string {
	switch p.Change {
	case Added:
		return fmt.Sprintf("+ %s: %s", p.Path, compact(p.New))
	case Removed:
		return fmt.Sprintf("- %s: %s", p.Path, compact(p.Old))
	}
	return fmt.Sprintf("~ %s: %s => %s", p.Path, compact(p.Old), compact(p.New))
}

// WriteDiffJSON writes the changes as canonical JSON, for other tools.
func WriteDiffJSON(w io.Writer, changes []ResourceChange) error {
	if changes == nil {
		changes = []ResourceChange{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(changes)
}
