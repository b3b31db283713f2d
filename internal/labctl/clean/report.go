package clean

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/kms-lab/kms-lab/internal/labctl/clean/plan"
)

// The plan's vocabulary, as this package's reports and tables use it.
const (
	typeTrail  = plan.TypeTrail
	typeBucket = plan.TypeBucket
	typeAlias  = plan.TypeAlias
	typeKey    = plan.TypeKey

	statusPlanned = plan.StatusPlanned
	statusDone    = plan.StatusDone
	statusFailed  = plan.StatusFailed
	statusKept    = plan.StatusKept

	actionDelete         = plan.ActionDelete
	actionEmptyAndDelete = plan.ActionEmptyAndDelete
	actionKeep           = plan.ActionKeep
	actionNone           = plan.ActionNone
)

// Action is one resource and what clean did or would do with it.
type Action = plan.Action

// Report is what clean found and did, in the order it removes things:
// the trail, the buckets by name, the alias, the key.
type Report struct {
	Actions []Action `json:"actions"`
	// DryRun says nothing was removed.
	DryRun bool `json:"-"`
}

// Outcome is what the run comes to, for the exit code.
type Outcome int

// The outcomes.
const (
	// Clean: nothing of the lab's is left (or, in a dry run, nothing failed).
	Clean Outcome = iota
	// left: something could not be removed, or a stack owns it.
	Left
	// Denied: clean was refused a read, so it cannot say what is there.
	Denied
)

// Outcome says whether everything clean may remove is gone.
func (r *Report) Outcome() Outcome {
	out := Clean
	for _, a := range r.Actions {
		switch {
		case a.Status == statusFailed && a.Denied:
			return Denied
		case a.Status == statusFailed, a.Status == statusKept && a.Stack != "":
			out = Left
		}
	}
	return out
}

// left lists what is still there that the lab owns: failed removals and
// what a stack owns.
func (r *Report) left() []Action {
	var left []Action
	for _, a := range r.Actions {
		if a.Status == statusFailed || (a.Status == statusKept && a.Stack != "") {
			left = append(left, a)
		}
	}
	return left
}

// WriteJSON prints {"actions": [...]}, an empty list when nothing was found.
func (r *Report) WriteJSON(w io.Writer) error {
	out := struct {
		Actions []Action `json:"actions"`
	}{Actions: r.Actions}
	if out.Actions == nil {
		out.Actions = []Action{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("writing the JSON report: %w", err)
	}
	return nil
}

// WriteText prints one line per resource, then what is left or what a dry
// run would do. where names the account and region.
func (r *Report) WriteText(w io.Writer, where string) error {
	var b strings.Builder
	if len(r.Actions) == 0 {
		fmt.Fprintf(&b, "nothing to clean in %s: no lab trail, bucket, alias or key\n", where)
		_, err := io.WriteString(w, b.String())
		return err
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TYPE\tNAME\tACTION\tSTATUS\tDETAIL")
	for _, a := range r.Actions {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Type, a.Name, a.Action, a.Status, a.Detail)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	left := r.left()
	switch {
	case r.DryRun && planned(r.Actions) == 0:
		fmt.Fprintf(&b, "dry run in %s: nothing was removed, and nothing is planned: --yes would remove nothing (each line says why)\n", where)
	case r.DryRun:
		fmt.Fprintf(&b, "dry run in %s: nothing was removed; run again with --yes to do the planned actions\n", where)
	case len(left) == 0:
		fmt.Fprintf(&b, "clean: nothing of the lab is left in %s\n", where)
	default:
		names := make([]string, len(left))
		for i, a := range left {
			names[i] = a.Type + " " + a.Name
		}
		fmt.Fprintf(&b, "left in %s: %s\n", where, strings.Join(names, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
