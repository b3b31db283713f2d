package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixedNow is the clock of every case; the class dates below are relative to it.
var fixedNow = time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)

// writeClass writes classes/<name>.yaml and one stack file per stack, each
// in its own 12-digit account.
func writeClass(t *testing.T, root, name string, n int, extra string) []string {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "classes"), 0o755))
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\n%sstacks:\n", name, extra)
	var stacks []string
	for i := 1; i <= n; i++ {
		s := fmt.Sprintf("%s-acct%04d", name, i)
		stacks = append(stacks, s)
		fmt.Fprintf(&b, "  - %s\n", s)
		stack := fmt.Sprintf("config:\n  aws:region: us-east-1\n  aws:allowedAccountIds: [\"%012d\"]\n  aws:profile: lab\n", accountBase(name)+i)
		require.NoError(t, os.WriteFile(filepath.Join(root, "Pulumi."+s+".yaml"), []byte(stack), 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(root, "classes", name+".yaml"), []byte(b.String()), 0o644))
	return stacks
}

func runMatrix(t *testing.T, args ...string) (result, int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr, func() time.Time { return fixedNow })
	var res result
	if code == 0 && !strings.Contains(strings.Join(args, " "), "--github-output") {
		require.NoError(t, json.Unmarshal(stdout.Bytes(), &res), stdout.String())
	}
	return res, code, stdout.String(), stderr.String()
}

// TestChunksStayWithinGitHubsMatrixLimit: "A job matrix can generate a
// maximum of 256 jobs per workflow run" (GitHub Docs, Actions limits). A class
// of up to 256 stacks is one matrix; beyond that, ceil(n/256) chunks of
// near-equal size, every stack exactly once, in the class file's order.
func TestChunksStayWithinGitHubsMatrixLimit(t *testing.T) {
	cases := []struct {
		stacks     int
		wantChunks int
		wantSizes  []int
	}{
		{1, 1, []int{1}},
		{256, 1, []int{256}},
		{257, 2, []int{129, 128}},
		{300, 2, []int{150, 150}},
		{1000, 4, []int{250, 250, 250, 250}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.stacks), func(t *testing.T) {
			root := t.TempDir()
			stacks := writeClass(t, root, "big", tc.stacks, "")
			res, code, _, stderr := runMatrix(t, "--root", root, "--purpose", "deploy", "--ci-role", "arn:aws:iam::123456789012:role/ci")
			require.Equal(t, 0, code, stderr)
			assert.Equal(t, tc.stacks, res.Count)
			assert.Equal(t, tc.wantChunks, res.Chunks)
			require.Len(t, res.Matrix.Include, tc.wantChunks)
			var got []string
			for i, job := range res.Matrix.Include {
				assert.Equal(t, fmt.Sprintf("%d of %d", i+1, tc.wantChunks), job.Chunk)
				var inner classes.StackMatrix
				require.NoError(t, json.Unmarshal([]byte(job.Stacks), &inner))
				assert.Len(t, inner.Include, tc.wantSizes[i])
				assert.LessOrEqual(t, len(inner.Include), 256)
				assert.Equal(t, len(inner.Include), job.Count)
				for _, e := range inner.Include {
					got = append(got, e.Stack)
					assert.Equal(t, "big", e.Class)
					assert.Regexp(t, `^\d{12}$`, e.Account)
					assert.Equal(t, "us-east-1", e.Region)
				}
			}
			assert.Equal(t, stacks, got, "every stack once, in the class file's order")
		})
	}
}

func TestGitHubOutputHoldsTheMatrix(t *testing.T) {
	root := t.TempDir()
	writeClass(t, root, "kms201", 257, "")
	out := filepath.Join(t.TempDir(), "output")
	sum := filepath.Join(t.TempDir(), "summary")
	_, code, stdout, stderr := runMatrix(t, "--root", root, "--purpose", "preview", "--ci-role", "r",
		"--github-output", out, "--summary", sum)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "preview: 257 stack(s) in 2 chunk(s)\n", stdout)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	require.Len(t, lines, 3, "one line per output: GITHUB_OUTPUT takes name=value lines")
	assert.True(t, strings.HasPrefix(lines[0], `matrix={"include":[{"chunk":"1 of 2","count":129,"stacks":"{\"include\":[`), lines[0][:80])
	assert.Equal(t, []string{"count=257", "chunks=2"}, lines[1:])
	s, err := os.ReadFile(sum)
	require.NoError(t, err)
	assert.Contains(t, string(s), "### preview: 257 stack(s) in 2 chunk(s)")
	assert.Contains(t, string(s), "| 2 of 2 | 128 | `kms201-acct0130` | `kms201-acct0257` |")
}

// TestInvalidClassFilesNameTheFileAndTheRule: each mistake is reported with
// the file it is in and the rule it breaks, all of them in one run, exit 2.
func TestInvalidClassFilesNameTheFileAndTheRule(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, root string)
		want  []string
	}{
		{
			name: "duplicate stack",
			setup: func(t *testing.T, root string) {
				writeClass(t, root, "kms301", 2, "")
				appendTo(t, filepath.Join(root, "classes", "kms301.yaml"), "  - kms301-acct0001\n")
			},
			want: []string{`classes/kms301.yaml: stack "kms301-acct0001" is listed twice: list each stack once`},
		},
		{
			name: "stack without a file",
			setup: func(t *testing.T, root string) {
				writeClass(t, root, "kms302", 2, "")
				require.NoError(t, os.Remove(filepath.Join(root, "Pulumi.kms302-acct0002.yaml")))
			},
			want: []string{`classes/kms302.yaml: stack "kms302-acct0002" has no stack file Pulumi.kms302-acct0002.yaml: every stack listed needs its Pulumi.<stack>.yaml`},
		},
		{
			name: "account in two stacks of a class",
			setup: func(t *testing.T, root string) {
				writeClass(t, root, "kms303", 2, "")
				sameAccount(t, root, "kms303-acct0001", "kms303-acct0002")
			},
			want: []string{`classes/kms303.yaml: stacks "kms303-acct0001" and "kms303-acct0002" are both account 210987654321 (Pulumi.kms303-acct0001.yaml, Pulumi.kms303-acct0002.yaml): one stack per lab account`},
		},
		{
			name: "account in two enabled classes",
			setup: func(t *testing.T, root string) {
				writeClass(t, root, "kms304", 1, "")
				writeClass(t, root, "kms305", 1, "")
				sameAccount(t, root, "kms304-acct0001", "kms305-acct0001")
			},
			want: []string{`classes/kms305.yaml: stack "kms305-acct0001" is account 210987654321, which enabled class stack "kms304-acct0001" already deploys: one stack per lab account`},
		},
		{
			name: "stack in two classes",
			setup: func(t *testing.T, root string) {
				writeClass(t, root, "kms306", 1, "")
				require.NoError(t, os.WriteFile(filepath.Join(root, "classes", "kms307.yaml"), []byte("name: kms307\nenabled: false\nstacks: [kms306-acct0001]\n"), 0o644))
			},
			want: []string{`classes/kms307.yaml: stack "kms306-acct0001" is also in classes/kms306.yaml: a stack belongs to one class`},
		},
		{
			name: "several problems together",
			setup: func(t *testing.T, root string) {
				require.NoError(t, os.MkdirAll(filepath.Join(root, "classes"), 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(root, "classes", "kms308.yaml"),
					[]byte("name: kms309\nendsAt: \"2026-12-04 17:00\"\nstacks: [a, a]\n"), 0o644))
			},
			want: []string{
				`classes/kms308.yaml: name "kms309" must equal the file name "kms308"`,
				`classes/kms308.yaml: endsAt "2026-12-04 17:00" must be a UTC time like "2026-12-04T17:00:00Z"`,
				`classes/kms308.yaml: stack "a" is listed twice: list each stack once`,
				`classes/kms308.yaml: stack "a" has no stack file Pulumi.a.yaml`,
			},
		},
		{
			name: "unknown field",
			setup: func(t *testing.T, root string) {
				require.NoError(t, os.MkdirAll(filepath.Join(root, "classes"), 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(root, "classes", "kms310.yaml"), []byte("name: kms310\nstack: [a]\n"), 0o644))
			},
			want: []string{"classes/kms310.yaml: stack: not a field of a class file; did you mean stacks?"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			tc.setup(t, root)
			_, code, stdout, stderr := runMatrix(t, "--root", root, "--purpose", "deploy", "--ci-role", "r")
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
			// As annotations, each problem lands on its file.
			_, code, stdout, _ = runMatrix(t, "--root", root, "--purpose", "deploy", "--ci-role", "r", "--annotate")
			assert.Equal(t, 2, code)
			assert.Contains(t, stdout, "::error file=classes/")
		})
	}
}

func TestSelectionFollowsTheClassDates(t *testing.T) {
	root := t.TempDir()
	writeClass(t, root, "running", 2, "startsAt: \"2026-12-04T09:00:00Z\"\nendsAt: \"2026-12-04T17:00:00Z\"\n")
	writeClass(t, root, "ended", 1, "endsAt: \"2026-12-04T08:00:00Z\"\n")
	writeClass(t, root, "ended-long-ago", 1, "endsAt: \"2026-11-01T08:00:00Z\"\n")
	writeClass(t, root, "future", 1, "startsAt: \"2026-12-10T09:00:00Z\"\nendsAt: \"2026-12-10T17:00:00Z\"\n")
	writeClass(t, root, "undated", 1, "")
	writeClass(t, root, "off", 1, "enabled: false\nstartsAt: \"2026-12-04T09:00:00Z\"\nendsAt: \"2026-12-04T17:00:00Z\"\n")
	cases := []struct {
		args []string
		want []string
		code int
		err  string
	}{
		{[]string{"--purpose", "deploy"}, []string{"running", "future", "undated"}, 0, ""},
		{[]string{"--purpose", "preview", "--class", "future"}, []string{"future"}, 0, ""},
		{[]string{"--purpose", "scheduled-drift"}, []string{"running"}, 0, ""},
		{[]string{"--purpose", "drift"}, []string{"running", "undated"}, 0, ""},
		{[]string{"--purpose", "drift", "--class", "off"}, []string{"off"}, 0, ""},
		{[]string{"--purpose", "scheduled-teardown"}, []string{"ended"}, 0, ""},
		{[]string{"--purpose", "teardown", "--class", "off", "--confirm", "off"}, []string{"off"}, 0, ""},
		{[]string{"--purpose", "teardown", "--class", "off", "--confirm", "of"}, nil, 1, `confirm "of": type the class name "off" into confirm`},
		{[]string{"--purpose", "teardown", "--class", "all", "--confirm", "all"}, nil, 1, "teardown needs a class"},
		{[]string{"--purpose", "deploy", "--class", "nope"}, nil, 1, `class "nope": no class file classes/nope.yaml`},
		{[]string{"--purpose", "deploy", "--stack", "ended-acct0001"}, nil, 1, `stack "ended-acct0001" is not in any class that deploy selects`},
		{[]string{"--purpose", "rollout"}, nil, 1, `purpose "rollout": must be one of`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			res, code, _, stderr := runMatrix(t, append([]string{"--root", root, "--ci-role", "r"}, tc.args...)...)
			require.Equal(t, tc.code, code, stderr)
			if tc.code != 0 {
				assert.Contains(t, stderr, tc.err)
				return
			}
			var got []string
			for _, job := range res.Matrix.Include {
				var inner classes.StackMatrix
				require.NoError(t, json.Unmarshal([]byte(job.Stacks), &inner))
				for _, e := range inner.Include {
					if len(got) == 0 || got[len(got)-1] != e.Class {
						got = append(got, e.Class)
					}
				}
			}
			assert.ElementsMatch(t, tc.want, got)
		})
	}
}

// Without the CI role nothing runs against AWS: an automatic run gets an
// empty matrix and a notice, a manual run fails with the reason.
func TestMissingCIRole(t *testing.T) {
	root := t.TempDir()
	writeClass(t, root, "kms401", 3, "")
	res, code, _, _ := runMatrix(t, "--root", root, "--purpose", "deploy", "--event", "push")
	require.Equal(t, 0, code)
	assert.Equal(t, 0, res.Count)
	assert.Empty(t, res.Matrix.Include)
	assert.Contains(t, res.Notice, "AWS_CI_ROLE_ARN is not set")
	_, code, _, stderr := runMatrix(t, "--root", root, "--purpose", "deploy", "--event", "workflow_dispatch")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "AWS_CI_ROLE_ARN is not set")
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"--purpose", "deploy", "extra"}, {"--purpose", "deploy", "--now", "noon"}, {"--purpose", "deploy", "--chunk-size", "300", "--root", "."}} {
		_, code, _, stderr := runMatrix(t, args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.NotEmpty(t, stderr)
	}
}

// accountBase gives each test class its own range of account IDs.
func accountBase(name string) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return 200000000000 + int(h.Sum32()%100000)*10000
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(text)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// sameAccount points both stacks at the account 210987654321.
func sameAccount(t *testing.T, root string, stacks ...string) {
	t.Helper()
	for _, s := range stacks {
		body := "config:\n  aws:region: us-east-1\n  aws:allowedAccountIds: [\"210987654321\"]\n  aws:profile: lab\n"
		require.NoError(t, os.WriteFile(filepath.Join(root, "Pulumi."+s+".yaml"), []byte(body), 0o644))
	}
}

// A by-hand class (mode: by-hand, docs/class-page.md) has no stack to
// destroy: its teardown is one labctl class clean job for the class
// (docs/teardown.md), beside the deployed classes' pulumi destroy jobs.
func TestTeardownSplitsByMode(t *testing.T) {
	root := t.TempDir()
	writeClass(t, root, "console", 2, "mode: by-hand\nendsAt: \"2026-12-04T08:00:00Z\"\n")
	writeClass(t, root, "stacks", 1, "endsAt: \"2026-12-04T08:00:00Z\"\n")
	writeClass(t, root, "console-old", 1, "mode: by-hand\nendsAt: \"2026-11-01T08:00:00Z\"\n")
	cases := []struct {
		args      []string
		wantStack []string
		wantClean []cleanJob
		code      int
		err       string
	}{
		{[]string{"--purpose", "scheduled-teardown"}, []string{"stacks-acct0001"},
			[]cleanJob{{Class: "console", Mode: classes.ByHand, Stacks: 2}}, 0, ""},
		{[]string{"--purpose", "teardown", "--class", "console-old", "--confirm", "console-old"}, nil,
			[]cleanJob{{Class: "console-old", Mode: classes.ByHand, Stacks: 1}}, 0, ""},
		{[]string{"--purpose", "teardown", "--class", "stacks", "--confirm", "stacks"}, []string{"stacks-acct0001"},
			[]cleanJob{}, 0, ""},
		{[]string{"--purpose", "teardown", "--class", "console", "--confirm", "console", "--stack", "console-acct0001"}, nil, nil, 1,
			`stack "console-acct0001": class console is mode: by-hand in classes/console.yaml, torn down as a whole by labctl class clean`},
		{[]string{"--purpose", "deploy", "--class", "console"}, nil, nil, 1, `class "console" is mode: by-hand`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			res, code, _, stderr := runMatrix(t, append([]string{"--root", root, "--ci-role", "r"}, tc.args...)...)
			require.Equal(t, tc.code, code, stderr)
			if tc.code != 0 {
				assert.Contains(t, stderr, tc.err)
				return
			}
			var stacks []string
			for _, job := range res.Matrix.Include {
				var inner classes.StackMatrix
				require.NoError(t, json.Unmarshal([]byte(job.Stacks), &inner))
				for _, e := range inner.Include {
					stacks = append(stacks, e.Stack)
				}
			}
			assert.Equal(t, tc.wantStack, stacks)
			assert.Equal(t, tc.wantClean, res.Clean.Include)
			assert.Equal(t, len(tc.wantClean), res.CleanCount)
		})
	}

	// The teardown workflow reads clean= and clean-count= from GITHUB_OUTPUT.
	out := filepath.Join(t.TempDir(), "output")
	_, code, stdout, stderr := runMatrix(t, "--root", root, "--ci-role", "r", "--purpose", "scheduled-teardown", "--github-output", out)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "scheduled-teardown: 1 by-hand class(es) to clean\n")
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	require.Len(t, lines, 5)
	assert.Equal(t, []string{`clean={"include":[{"class":"console","mode":"by-hand","stacks":2}]}`, "clean-count=1"}, lines[3:])
}
