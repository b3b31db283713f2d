package main

import (
	"fmt"

	"github.com/kms-lab/kms-lab/internal/classes"
)

// cleanJob is one by-hand class to tear down: `labctl class clean --yes`
// runs over the whole class in one job (teardown.yml's clean job), since
// nothing of it is in a Pulumi stack to destroy stack by stack.
type cleanJob struct {
	Class  string       `json:"class"`
	Mode   classes.Mode `json:"mode"`
	Stacks int          `json:"stacks"`
}

// cleanMatrix is the clean job's matrix: {"include": [cleanJob...]}.
type cleanMatrix struct {
	Include []cleanJob `json:"include"`
}

func isTeardown(purpose string) bool {
	return purpose == classes.Teardown || purpose == classes.ScheduledTeardown
}

// selectTeardown splits a teardown by the class file's mode: the stacks of
// deployed classes (pulumi destroy, one job each) and the by-hand classes
// (labctl class clean, one job per class).
//
// classes.Select leaves by-hand classes out of a scheduled teardown (no
// stack of theirs is deployed), but which classes are due does not depend
// on the mode: enabled, and endsAt passed within the window. So the
// selection runs on a copy in which every class counts as deployed, and the
// entries are then split by their class's real mode.
func selectTeardown(repo classes.Repo, req classes.Request) ([]classes.Entry, cleanMatrix, error) {
	asDeployed := classes.Repo{Stacks: repo.Stacks}
	for _, c := range repo.Classes {
		c.Mode = classes.Deployed
		asDeployed.Classes = append(asDeployed.Classes, c)
	}
	entries, err := asDeployed.Select(req)
	if err != nil {
		return nil, cleanMatrix{}, err
	}
	var deployed []classes.Entry
	clean := cleanMatrix{Include: []cleanJob{}}
	for _, e := range entries {
		c, _ := repo.ClassByName(e.Class) // Select only returns entries of known classes
		if c.Mode != classes.ByHand {
			deployed = append(deployed, e)
			continue
		}
		if req.Stack != "" {
			return nil, cleanMatrix{}, fmt.Errorf("stack %q: class %s is mode: %s in %s, torn down as a whole by labctl class clean; leave stack empty, or run labctl clean for the one account (docs/teardown.md)",
				req.Stack, c.Name, classes.ByHand, c.File)
		}
		if n := len(clean.Include); n > 0 && clean.Include[n-1].Class == c.Name {
			clean.Include[n-1].Stacks++
			continue
		}
		clean.Include = append(clean.Include, cleanJob{Class: c.Name, Mode: classes.ByHand, Stacks: 1})
	}
	return deployed, clean, nil
}
