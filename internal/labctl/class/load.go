// Package class runs labctl's checks against every lab account of a class
// (classes/<class>.yaml and one Pulumi.<stack>.yaml per account),
// concurrently, and renders one row per account as a table, Markdown, JSON
// or a self-contained HTML page.
package class

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/kms-lab/kms-lab/internal/classes"
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
