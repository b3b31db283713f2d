package classes

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 16: a class file says mode: by-hand|deployed, deployed by default.
func TestParseMode(t *testing.T) {
	tests := []struct {
		name, line string
		want       Mode
		problem    string
	}{
		{"left out", "", Deployed, ""},
		{"deployed", "mode: deployed\n", Deployed, ""},
		{"by hand", "mode: by-hand\n", ByHand, ""},
		{"misspelt", "mode: byhand\n", "", `classes/c.yaml: mode "byhand": use deployed (the default) or by-hand`},
		{"capitals", "mode: Deployed\n", "", `classes/c.yaml: mode "Deployed": use deployed (the default) or by-hand`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ps := Parse("classes/c.yaml", []byte("name: c\n"+tt.line+"stacks: [a]\n"))
			if tt.problem != "" {
				require.Len(t, ps, 1)
				assert.Equal(t, tt.problem, ps[0].Error())
				return
			}
			require.Empty(t, ps)
			assert.Equal(t, tt.want, c.Mode)
		})
	}
}

// A by-hand class has nothing deployed: the workflows' deploy, preview and
// drift leave it out, naming a by-hand class for them is an error that says
// why, and a teardown a person asks for still selects it.
func TestSelectFollowsMode(t *testing.T) {
	repo := Repo{
		Classes: []Class{
			{File: "classes/dep.yaml", Name: "dep", Enabled: true, Mode: Deployed, Stacks: []string{"dep-1"}},
			{File: "classes/hand.yaml", Name: "hand", Enabled: true, Mode: ByHand, Stacks: []string{"hand-1"},
				StartsAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		},
		Stacks: map[string]Stack{"dep-1": {Name: "dep-1"}, "hand-1": {Name: "hand-1"}},
	}
	during := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		purpose, class, confirm string
		want                    []string
		err                     string
	}{
		{Deploy, "", "", []string{"dep-1"}, ""},
		{Preview, "all", "", []string{"dep-1"}, ""},
		{Drift, "", "", []string{"dep-1"}, ""},
		{ScheduledDrift, "", "", nil, ""},
		{Deploy, "hand", "", nil, `class "hand" is mode: by-hand in classes/hand.yaml: its students build the lab in the console, so there is nothing to deploy`},
		{Drift, "hand", "", nil, `so there is nothing to drift`},
		{Teardown, "hand", "hand", []string{"hand-1"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.purpose+"/"+tt.class, func(t *testing.T) {
			got, err := repo.Select(Request{Purpose: tt.purpose, Class: tt.class, Confirm: tt.confirm, Now: during, TeardownWindow: time.Hour})
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			var stacks []string
			for _, e := range got {
				stacks = append(stacks, e.Stack)
			}
			assert.Equal(t, tt.want, stacks)
		})
	}
}
