package classes

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// Repo is every class of a repository and the stack files they list.
type Repo struct {
	Classes []Class
	Stacks  map[string]Stack
}

// Load reads classes/*.yaml under root and every stack file they list, and
// checks the rules across files: each stack has its stack file, a stack is
// in one class only, and one lab account is one stack. All problems come
// back together, each naming its file.
func Load(root string) (Repo, error) {
	fsys := os.DirFS(root)
	files, err := fs.Glob(fsys, "classes/*.yaml")
	if err != nil {
		return Repo{}, fmt.Errorf("list class files: %w", err)
	}
	yml, err := fs.Glob(fsys, "classes/*.yml")
	if err != nil {
		return Repo{}, fmt.Errorf("list class files: %w", err)
	}
	var problems Problems
	for _, f := range yml {
		problems = append(problems, Problem{File: f, Rule: "class files end in .yaml; rename it"})
	}
	if len(files) == 0 && len(yml) == 0 {
		return Repo{}, Problems{{File: "classes/", Rule: "no class files: add classes/<class>.yaml"}}
	}
	sort.Strings(files)
	repo := Repo{Stacks: map[string]Stack{}}
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return Repo{}, fmt.Errorf("read %s: %w", f, err)
		}
		c, ps := Parse(f, data)
		problems = append(problems, ps...)
		repo.Classes = append(repo.Classes, c)
	}
	problems = append(problems, repo.loadStacks(fsys)...)
	problems = append(problems, repo.crossRules()...)
	if len(problems) > 0 {
		return repo, problems
	}
	return repo, nil
}

// loadStacks reads the stack files the classes list, each once, from the
// repository root, where problems name them relative to it.
func (r *Repo) loadStacks(fsys fs.FS) Problems {
	var problems Problems
	for _, c := range r.Classes {
		for _, s := range c.Stacks {
			if _, done := r.Stacks[s]; done || !stackRe.MatchString(s) {
				continue
			}
			st, ps := c.readStack(fsys, stackFile(s), s)
			problems = append(problems, ps...)
			r.Stacks[s] = st
		}
	}
	return problems
}

// crossRules: a stack belongs to one class; within a class, and across the
// enabled classes, one lab account is one stack (two stacks on one account
// would fight over the same alias, trail and key policy).
func (r *Repo) crossRules() Problems {
	var problems Problems
	owner := map[string]string{}          // stack -> class file
	enabledAccount := map[string]string{} // account -> stack, over enabled classes
	for _, c := range r.Classes {
		inClass := map[string]string{}
		seen := map[string]bool{}
		for _, s := range c.Stacks {
			if seen[s] {
				continue // reported by Parse
			}
			seen[s] = true
			if prev, ok := owner[s]; ok {
				problems = append(problems, Problem{File: c.File, Rule: fmt.Sprintf(
					"stack %q is also in %s: a stack belongs to one class", s, prev)})
			}
			owner[s] = c.File
			acct := r.Stacks[s].Account
			if acct == "" {
				continue
			}
			if prev, ok := inClass[acct]; ok {
				problems = append(problems, Problem{File: c.File, Rule: fmt.Sprintf(
					"stacks %q and %q are both account %s (%s, %s): one stack per lab account",
					prev, s, acct, stackFile(prev), stackFile(s))})
				continue
			}
			inClass[acct] = s
			if !c.Enabled {
				continue
			}
			if prev, ok := enabledAccount[acct]; ok && prev != s {
				problems = append(problems, Problem{File: c.File, Rule: fmt.Sprintf(
					"stack %q is account %s, which enabled class stack %q already deploys: one stack per lab account",
					s, acct, prev)})
				continue
			}
			enabledAccount[acct] = s
		}
	}
	return problems
}

// ClassByName finds a class; ok is false when no class file has that name.
func (r Repo) ClassByName(name string) (Class, bool) {
	for _, c := range r.Classes {
		if c.Name == name {
			return c, true
		}
	}
	return Class{}, false
}

// classFilePath is the path a class of that name would have.
func classFilePath(name string) string { return path.Join("classes", filepath.Base(name)+".yaml") }
