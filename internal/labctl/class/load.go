// Package class is what labctl's class commands (status, watch, clean)
// share: a class file with its lab-account stacks (classes/<class>.yaml and
// one Pulumi.<stack>.yaml per account), the roster that names each stack's
// student, and reaching a stack's account with its stack file's
// credentials. Checking the accounts is in class/status, the page in
// class/page, watch's sweeps in labctl/watch.
package class

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/kms-lab/kms-lab/internal/classes"
)

// Mode says what each account is checked against: the class file's mode,
// which --mode overrides.
type Mode = classes.Mode

// The modes.
const (
	// Deployed checks a stack deployed by `pulumi up` against its outputs
	// (labctl verify).
	Deployed = classes.Deployed
	// ByHand grades the lab's six tasks done in the console (labctl check).
	ByHand = classes.ByHand
)

// Class is a class file with its lab-account stacks.
type Class struct {
	Name string
	File string
	// Mode is the class file's mode (deployed when it says none).
	Mode   Mode
	Stacks []classes.Stack
}

// Load reads a class file and the stack files it lists, which live in
// stacksDir (the Pulumi project directory; "" means the class file's
// directory's parent, as in the repository's classes/ layout). The rules
// are internal/classes', the ones the workflows' matrix applies, so a class
// labctl accepts is one the workflows accept. Every problem is reported
// together, each naming the file, the setting, the value and the rule.
func Load(path, stacksDir string) (*Class, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("class file: %w", err)
	}
	if stacksDir == "" {
		stacksDir = filepath.Dir(filepath.Dir(path))
	}
	cf, problems := classes.Parse(path, data)
	stacks, ps := cf.LoadStacks(stacksDir)
	problems = append(problems, ps...)
	if len(problems) > 0 {
		return nil, problems
	}
	sort.Slice(stacks, func(i, j int) bool { return stacks[i].Name < stacks[j].Name })
	return &Class{Name: cf.Name, File: path, Mode: cf.Mode, Stacks: stacks}, nil
}
