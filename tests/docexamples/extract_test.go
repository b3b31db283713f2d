package docexamples_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/txtar"
)

// A doc's fenced blocks, classified by the HTML comment before each one
// (docs/testing.md, "The docs' examples"):
//
//	<!-- test: offline -->            run without AWS
//	<!-- test: moto, exit 1 -->       run against the test's moto server; every command exits 1
//	<!-- test: skip (why) -->         not run, and why
//
// A comment may hold a txtar archive after its first line: files the
// block's commands read, written into the scratch directory first. A
// ```text block right after a run block is what its last command prints.

// Mode says how a block runs.
type Mode string

const (
	Offline Mode = "offline"
	Moto    Mode = "moto"
	Skip    Mode = "skip"
)

// Block is one classified fenced block of a doc.
type Block struct {
	File     string // the doc, as named in messages
	Line     int    // the line of the opening fence, from 1
	Lang     string // the fence's info string: sh, console, json, ...
	Mode     Mode
	Reason   string // why a skip block is skipped
	Exit     int    // the exit code of each of its commands
	Files    []txtar.File
	Commands []Command
}

// Command is one command of a run block.
type Command struct {
	Line int      // its line in the doc
	Text string   // as the doc writes it
	Name string   // labctl or labplan
	Args []string // after the name
	Want []string // lines the doc shows it printing
}

// Problem is a doc line the test cannot take as it is.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg) }

var (
	fenceRe   = regexp.MustCompile("^\\s*(```+|~~~+)\\s*([A-Za-z0-9_-]*)") // in a list item too
	commentRe = regexp.MustCompile(`^<!-- test: (offline|moto|skip)(?:, exit (\d+))?(?: \((.*)\))?\s*-->$`)
)

// fence is one fenced block as written.
type fence struct {
	line      int // the opening fence's line, from 1
	lang      string
	body      []string
	body1     int // the line of body[0]
	comment   string
	commentAt int // the line of the comment's first line, 0 when none
	follows   bool
}

// fences splits a markdown file into its fenced blocks, each with the
// <!-- test: ... --> comment that ends right above it, if any, and whether
// only blank lines separate it from the block before (an output block).
func fences(lines []string) []fence {
	var out []fence
	lastEnd := -10 // the line index of the previous block's closing fence
	for i := 0; i < len(lines); i++ {
		m := fenceRe.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		f := fence{line: i + 1, lang: m[2], body1: i + 2}
		// The comment: the nearest non-blank line above, if it closes one.
		j := i - 1
		for j >= 0 && strings.TrimSpace(lines[j]) == "" {
			j--
		}
		f.follows = j == lastEnd
		if j >= 0 && strings.HasSuffix(strings.TrimSpace(lines[j]), "-->") {
			k := j
			for k >= 0 && !strings.HasPrefix(strings.TrimSpace(lines[k]), "<!--") {
				k--
			}
			if k >= 0 && strings.HasPrefix(strings.TrimSpace(lines[k]), "<!-- test:") {
				f.comment, f.commentAt = strings.Join(lines[k:j+1], "\n"), k+1
			}
		}
		indent := len(lines[f.line-1]) - len(strings.TrimLeft(lines[f.line-1], " "))
		for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), m[1]); i++ {
			f.body = append(f.body, strings.TrimPrefix(lines[i], strings.Repeat(" ", indent)))
		}
		lastEnd = i
		out = append(out, f)
	}
	return out
}

// Extract classifies every fenced block of one doc and parses the commands
// of the blocks to run. Every block is either classified or the output of
// the run block right before it; anything else is a problem, as is a
// command the test cannot run.
func Extract(file, text string) ([]Block, []Problem) {
	var blocks []Block
	var problems []Problem
	bad := func(line int, format string, args ...any) {
		problems = append(problems, Problem{file, line, fmt.Sprintf(format, args...)})
	}
	for _, f := range fences(strings.Split(text, "\n")) {
		if f.comment == "" {
			prev := len(blocks) - 1
			if f.lang == "text" && f.follows && prev >= 0 && blocks[prev].Mode != Skip && len(blocks[prev].Commands) > 0 {
				last := &blocks[prev].Commands[len(blocks[prev].Commands)-1]
				last.Want = append(last.Want, nonBlank(f.body)...)
				continue
			}
			bad(f.line, "a ```%s block with no <!-- test: offline|moto|skip (why) --> comment above it (docs/testing.md)", f.lang)
			continue
		}
		b, err := classify(file, f)
		if err != "" {
			bad(f.commentAt, "%s", err)
			continue
		}
		if b.Mode != Skip {
			var cmdProblems []Problem
			b.Commands, cmdProblems = commands(file, f)
			problems = append(problems, cmdProblems...)
			if len(b.Commands) == 0 && len(cmdProblems) == 0 {
				bad(f.line, "a %s block with no command to run", b.Mode)
			}
		}
		blocks = append(blocks, b)
	}
	return blocks, problems
}

// classify reads a block's comment.
func classify(file string, f fence) (Block, string) {
	first, rest, multi := strings.Cut(f.comment, "\n")
	if multi {
		first += " -->"
		rest = strings.TrimSuffix(strings.TrimSpace(rest), "-->")
	}
	m := commentRe.FindStringSubmatch(strings.TrimSpace(first))
	if m == nil {
		return Block{}, fmt.Sprintf("%q: write <!-- test: offline|moto|skip (why)[, exit N] -->", first)
	}
	b := Block{File: file, Line: f.line, Lang: f.lang, Mode: Mode(m[1]), Reason: m[3]}
	if m[2] != "" {
		b.Exit, _ = strconv.Atoi(m[2])
	}
	if b.Mode == Skip && b.Reason == "" {
		return Block{}, "a skip needs its reason: <!-- test: skip (why) -->"
	}
	if b.Mode == Skip && m[2] != "" {
		return Block{}, "a skipped block has no exit code to check"
	}
	if multi {
		b.Files = txtar.Parse([]byte(strings.TrimRight(rest, "\n") + "\n")).Files
	}
	return b, ""
}

// commands parses a run block: in ```sh every line is a command (a trailing
// "# ..." is a comment); in ```console a command starts with "$ " and the
// lines under it are what it prints.
func commands(file string, f fence) ([]Command, []Problem) {
	var out []Command
	var problems []Problem
	for i, line := range f.body {
		n := f.body1 + i
		text := strings.TrimRight(line, " ")
		if f.lang == "console" {
			cmd, ok := strings.CutPrefix(text, "$ ")
			if !ok {
				if len(out) == 0 {
					problems = append(problems, Problem{file, n, "output before the first $ command"})
				} else if text != "" {
					out[len(out)-1].Want = append(out[len(out)-1].Want, text)
				}
				continue
			}
			text = cmd
		} else if f.lang != "sh" {
			problems = append(problems, Problem{file, f.line, fmt.Sprintf("a run block is ```sh or ```console, not ```%s", f.lang)})
			return nil, problems
		}
		if strings.TrimSpace(text) == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		c, err := parseCommand(text)
		if err != "" {
			problems = append(problems, Problem{file, n, err})
			continue
		}
		c.Line = n
		out = append(out, c)
	}
	return out, problems
}

// The ways the docs name the two programs.
var programs = map[string]string{
	"labctl": "labctl", "bin/labctl": "labctl", "./cmd/labctl": "labctl",
	"labplan": "labplan", "bin/labplan": "labplan", "./cmd/labplan": "labplan",
}

// parseCommand splits one shell command line into words, the way sh would
// for the quoting the docs use, and refuses what the test cannot run.
func parseCommand(line string) (Command, string) {
	words, err := shellWords(line)
	if err != "" {
		return Command{}, err
	}
	if len(words) >= 3 && words[0] == "go" && words[1] == "run" {
		words = words[2:]
	}
	if len(words) == 0 {
		return Command{}, "no command"
	}
	name, ok := programs[words[0]]
	if !ok {
		return Command{}, fmt.Sprintf("%q: the doc test runs labctl and labplan only; mark the block <!-- test: skip (why) -->", words[0])
	}
	return Command{Text: strings.TrimSpace(line), Name: name, Args: words[1:]}, ""
}

// shellWords splits line into words: blanks separate words, '...' and
// "..." quote, and an unquoted # starts a comment. Pipes, redirections,
// command lists, substitutions and variables are refused: a block with
// them is one for a shell, not for this test.
func shellWords(line string) (words []string, problem string) {
	var w strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words, inWord = append(words, w.String()), false
				w.Reset()
			}
		case c == '#' && !inWord:
			return words, ""
		case c == '\'' || c == '"':
			end := strings.IndexByte(line[i+1:], c)
			if end < 0 {
				return nil, "unterminated quote"
			}
			quoted := line[i+1 : i+1+end]
			if c == '"' && strings.ContainsAny(quoted, "$`\\") {
				return nil, fmt.Sprintf("%q: a substitution in double quotes is for a shell; mark the block skip", quoted)
			}
			w.WriteString(quoted)
			inWord = true
			i += end + 1
		case strings.IndexByte("|&;<>()$`\\", c) >= 0:
			return nil, fmt.Sprintf("%q is for a shell: the doc test runs one command per line; mark the block skip", string(c))
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, ""
}

func nonBlank(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l = strings.TrimRight(l, " "); l != "" {
			out = append(out, l)
		}
	}
	return out
}
