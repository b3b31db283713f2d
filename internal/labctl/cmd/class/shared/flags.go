// Package shared holds what labctl's class subcommands (status, watch,
// clean) share, as GitHub's CLI keeps pr/shared: the flags that name a
// class and how to reach its accounts, their checks, loading the class
// with its roster, and the account runner they build from them.
package shared

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/labctl/class/status"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/labctl/fanout"
	"github.com/kms-lab/kms-lab/internal/labctl/outfile"
)

// ClassFlags are the class subcommands' common flags and argument.
type ClassFlags struct {
	ClassFile string
	Mode      string
	Parallel  int
	StacksDir string
	Endpoint  string
	// OutputsDir is deployed mode's outputs (status and watch only).
	OutputsDir string
	// Roster is a CSV naming each stack's student.
	Roster string
}

// Uses says which of the flags a command takes, and its words for them.
type Uses struct {
	// ModeHelp is --mode's help.
	ModeHelp string
	// ParallelHelp is --parallel's help ("accounts checked at once").
	ParallelHelp string
	// Outputs: the command checks deployed stacks, and takes --outputs-dir.
	Outputs bool
}

// Register adds the flags to cmd.
func (f *ClassFlags) Register(cmd *cobra.Command, u Uses) {
	fs := cmd.Flags()
	fs.StringVar(&f.Mode, "mode", "", u.ModeHelp)
	fs.IntVar(&f.Parallel, "parallel", 8, u.ParallelHelp)
	if u.Outputs {
		fs.StringVar(&f.OutputsDir, "outputs-dir", "", "deployed mode: read each stack's outputs from `DIR`/<stack>.json instead of `pulumi stack output`")
		_ = cmd.MarkFlagDirname("outputs-dir")
	}
	fs.StringVar(&f.StacksDir, "stacks-dir", "", "where the Pulumi.<stack>.yaml files are (default: the class file's directory's parent)")
	// Only the endpoint: each account's profile, role and region come
	// from its stack file.
	cmdutil.AddEndpointFlag(cmd, &f.Endpoint)
	fs.StringVar(&f.Roster, "roster", "", "CSV `FILE` naming each stack's student (stack,name[,email][,id]); personal data: keep it out of the repository")
	_ = cmd.MarkFlagDirname("stacks-dir")
	_ = cmd.MarkFlagFilename("roster", "csv")
}

// Problems are the flags' bad values, each naming its flag, value and
// rule. allowed are the modes the command takes; refused says why a mode
// it does not take is refused, when it has more to say than the list.
func (f *ClassFlags) Problems(allowed []class.Mode, refused map[class.Mode]string) []string {
	var problems []string
	m := class.Mode(f.Mode)
	switch {
	case f.Mode == "" || slices.Contains(allowed, m): // "": the class file says
	case refused[m] != "":
		problems = append(problems, fmt.Sprintf("--mode %s: %s", f.Mode, refused[m]))
	default:
		words := make([]string, len(allowed))
		for i, a := range allowed {
			words[i] = string(a)
		}
		problems = append(problems, fmt.Sprintf("--mode %q: use %s", f.Mode, strings.Join(words, " or ")))
	}
	if f.Parallel < 1 || f.Parallel > 64 {
		problems = append(problems, fmt.Sprintf("--parallel %d: use 1 to 64", f.Parallel))
	}
	if f.OutputsDir != "" && m == class.ByHand {
		problems = append(problems, "--outputs-dir: only for --mode deployed (by-hand labs have no stack outputs)")
	}
	return problems
}

// ProjectDir is where the stack files are and `pulumi stack output` runs.
func (f *ClassFlags) ProjectDir() string {
	if f.StacksDir != "" {
		return f.StacksDir
	}
	return filepath.Dir(filepath.Dir(f.ClassFile))
}

// Load reads the class file, its stack files and the roster, and reports
// every problem of any of them together. A roster that does not fit the
// class (a stack it lacks, a line for a stack the class does not list) is
// no error: each mismatch is printed on errOut, and the stack is shown
// without a name.
func (f *ClassFlags) Load(errOut io.Writer) (*class.Class, *class.Roster, error) {
	c, cerr := class.Load(f.ClassFile, f.StacksDir)
	var roster *class.Roster
	var rerr error
	if f.Roster != "" {
		roster, rerr = class.LoadRoster(f.Roster)
	}
	if err := errors.Join(cerr, rerr); err != nil {
		return nil, nil, err
	}
	if f.Mode == "" && f.OutputsDir != "" && c.Mode == class.ByHand {
		return nil, nil, cmdutil.FlagErrorf("--outputs-dir: %s says mode: by-hand, which has no stack outputs; drop --outputs-dir or pass --mode deployed", f.ClassFile)
	}
	for _, m := range roster.Mismatches(c.Stacks) {
		fmt.Fprintf(errOut, "roster %s: %s\n", f.Roster, m)
	}
	return c, roster, nil
}

// ModeOf is the mode a run uses: --mode, else the class file's.
func (f *ClassFlags) ModeOf(c *class.Class) class.Mode {
	if f.Mode != "" {
		return class.Mode(f.Mode)
	}
	return c.Mode
}

// Inputs are the files a run reads, which an --out must not name.
func (f *ClassFlags) Inputs(c *class.Class) []outfile.Input {
	in := []outfile.Input{{Role: "the class file", Path: f.ClassFile}, {Role: "the roster", Path: f.Roster}}
	for _, st := range c.Stacks {
		in = append(in, outfile.Input{Role: "the stack file of " + st.Name, Path: st.File})
		if f.OutputsDir != "" {
			in = append(in, outfile.Input{Role: "the outputs file of " + st.Name, Path: filepath.Join(f.OutputsDir, st.Name+".json")})
		}
	}
	return in
}

// Deps are what a runner takes from labctl's Factory.
type Deps struct {
	AWS      cmdutil.AWSConnector
	Now      func() time.Time
	Progress io.Writer
}

// Runner is the account checker of class status and watch.
func (f *ClassFlags) Runner(c *class.Class, roster *class.Roster, d Deps) *status.Runner {
	return &status.Runner{
		Class: c, Mode: f.ModeOf(c), Parallel: f.Parallel, Endpoint: f.Endpoint, OutputsDir: f.OutputsDir,
		ProjectDir: f.ProjectDir(), Roster: roster, Progress: d.Progress, WaitTick: WaitTicker(d.Progress),
		Now: d.Now, AWS: d.AWS,
	}
}

// WaitTicker ticks every fanout.WaitEvery when there is a progress stream
// to say which accounts are still waiting; nil otherwise. The ticker lives
// as long as the process: a class command runs once.
func WaitTicker(progress io.Writer) <-chan time.Time {
	if progress == nil {
		return nil
	}
	return time.NewTicker(fanout.WaitEvery).C
}
