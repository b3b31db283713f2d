package class

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/labctl/check"
)

// CheckAccount checks one lab account of the class, as Run does for each:
// for a caller that schedules the accounts itself (labctl class watch).
func (r *Runner) CheckAccount(ctx context.Context, st classes.Stack) Row {
	return r.checkAccount(ctx, st)
}

// ColumnsOf are a mode's columns, without counts.
func ColumnsOf(m Mode) []Column {
	if m != ByHand {
		return append([]Column(nil), groupColumns...)
	}
	var cols []Column
	for t := 1; t <= 6; t++ {
		cols = append(cols, Column{ID: "task" + strconv.Itoa(t), Title: fmt.Sprintf("%d %s", t, check.Title(t))})
	}
	return cols
}
