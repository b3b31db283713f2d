package events

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteTable prints one line per match, oldest first, in the columns a
// student needs for lab task 5.
func WriteTable(w io.Writer, ms []Match) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tEVENT SOURCE\tEVENT NAME\tPRINCIPAL\tSOURCE IP\tKEY\tOBJECT")
	for _, m := range ms {
		r := m.Record
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			r.EventTime.UTC().Format(time.RFC3339), dash(r.EventSource), dash(r.EventName),
			r.UserIdentity.principal(), dash(r.SourceIPAddress), dash(m.Key), dash(m.Object))
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// WriteJSON prints the matching CloudTrail records themselves, unchanged
// but indented, as one JSON array.
func WriteJSON(w io.Writer, ms []Match) error {
	bw := bufio.NewWriter(w)
	if len(ms) == 0 {
		bw.WriteString("[]\n")
		return bw.Flush()
	}
	bw.WriteString("[\n")
	var buf bytes.Buffer
	for i, m := range ms {
		buf.Reset()
		if err := json.Indent(&buf, m.Raw, "  ", "  "); err != nil {
			return fmt.Errorf("record %s: %w", m.Record.EventID, err)
		}
		bw.WriteString("  ")
		bw.Write(buf.Bytes())
		if i < len(ms)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("]\n")
	return bw.Flush()
}
