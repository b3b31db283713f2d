package preflight_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
	"github.com/kms-lab/kms-lab/internal/testenv/emulatorapply"
)

// deploy applies the stack's plan to the account as the deployer would
// (the program's alias, key, bucket, trail and image, each taggable one
// tagged kms-lab:stack=pf), standing in for the stack's first `pulumi up`.
func (la *labAccount) deploy(stackFile string) {
	la.t.Helper()
	root := projectRoot(la.t)
	opts := plan.Options{AccountID: account, Region: region, Partition: "aws", CallerARN: "arn:aws:iam::" + account + ":user/deployer"}
	sc, err := stackconfig.Load(root, stackFile)
	require.NoError(la.t, err)
	p, err := plan.Render(sc, opts)
	require.NoError(la.t, err, "rendering the plan of %s", stackFile)
	_, err = emulatorapply.Apply(la.ctx(), p, emulatorapply.Target{Config: la.cfg, Options: opts, ProjectDir: root})
	require.NoError(la.t, err, "applying the plan to moto")
}

// Issue 23: `_stack.yml` runs `labctl preflight` before every `up` and
// `preview` of a stack that exists in the backend, so a stack's second
// deploy meets its own alias, trail and bucket. That must pass: every
// check, the step's verdict, and the job goes on to pulumi. The step
// script runs as the job runs it (tests/workflows_steps_test.go), with
// the built labctl behind a stand-in that points it at the front and the
// project, and a stand-in pulumi.
func TestPreflightStepOnSecondDeploy(t *testing.T) {
	requireTools(t, "bash", "jq")
	tests := []struct {
		name       string
		byHand     bool // an alias made by hand instead of a deploy
		throttled  bool // kms:DescribeKey throttled past its retries
		command    string
		wantCode   int
		wantPulumi bool
		verdict    string
		summary    []string
	}{
		{name: "up after a deploy", command: "up", verdict: "pass", wantPulumi: true, summary: []string{
			"### Preflight of `pf`: pass",
			"| alias-name | pass | alias/myFirstKey already exists in us-west-2 (key ",
			"), tagged kms-lab:stack=pf: owned by this stack, which pulumi up updates in place |",
			"| trail-name | pass | trail myTrail already exists in us-west-2 (arn:aws:cloudtrail:us-west-2:" + account + ":trail/myTrail), tagged kms-lab:stack=pf: owned by this stack",
			"| bucket-name | pass | bucket kms-lab-pf-logs already exists in account " + account + ", tagged kms-lab:stack=pf: owned by this stack",
			"| trail-quota | pass | 1 of 5 trails in us-west-2, one of them myTrail |",
			"| management-events | pass | no other trail logs management events in us-west-2: myTrail's copy is the free first copy |",
		}},
		{name: "preview after a deploy", command: "preview", verdict: "pass", wantPulumi: true, summary: []string{"### Preflight of `pf`: pass"}},
		// The same step on an account where a hand made the alias: up
		// stops before pulumi runs, as it did before tags were read.
		{name: "up, alias made by hand", byHand: true, command: "up", verdict: "fail", wantCode: 1, summary: []string{
			"### Preflight of `pf`: fail", "| alias-name | **fail** | alias/myFirstKey already exists in us-west-2 (key "}},
		// A read throttled past its retries judges nothing: alias-name is
		// unknown, preflight exits 2, and the step stops the job with the
		// report in the summary.
		{name: "up after a deploy, a read throttled", throttled: true, command: "up", verdict: "error", wantCode: 1, summary: []string{
			"### Preflight of `pf`: unknown (exit 2: a check could not be read; retry)",
			"| alias-name | **unknown** | not checked: AWS throttled this read of key alias alias/myFirstKey (kms:DescribeKey: ThrottlingException: Rate exceeded, after 2 attempts); retry in a minute |",
			"| trail-name | pass |"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			la := newLabAccount(t)
			if tt.throttled {
				t.Setenv("AWS_MAX_ATTEMPTS", "2") // two attempts, not ten, for the test's sake
				la.front.throttled["TrentService.DescribeKey"] = true
			}
			// An exact bucketName, so that all three name checks meet the
			// stack's own resource.
			stackFile := la.writeStack("  kms-lab:bucketName: " + exactBucket + "\n")
			if tt.byHand {
				la.tagged("alias", "")
			} else {
				la.deploy(stackFile)
			}
			step := newStep(t, la)
			out, code := step.run(t, "preflight.sh", "COMMAND="+tt.command, "STACK="+stack)
			assert.Equal(t, tt.wantCode, code, "%s", out)
			assert.Equal(t, tt.verdict, step.output(t)["verdict"], "%s", out)
			if code == 0 {
				step.pulumi(t, tt.command)
				out, code = step.run(t, "preflight-verdict.sh", "VERDICT="+step.output(t)["verdict"], "STACK="+stack)
				assert.Equal(t, 0, code, "%s", out)
			}
			assert.Equal(t, tt.wantPulumi, step.ranPulumi(t, tt.command))
			summary := step.read(t, step.summary)
			for _, s := range tt.summary {
				assert.Contains(t, summary, s)
			}
			if tt.verdict == "pass" {
				for _, l := range strings.Split(summary, "\n") {
					if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| check ") {
						assert.Contains(t, l, " | pass | ", "every check passes on a second deploy")
					}
				}
			}
		})
	}
}

// step is a job's directory for the preflight step: the stack file, bin/labctl
// and the files GitHub gives a step.
type step struct {
	dir, temp, outFile, summary, calls string
}

func newStep(t *testing.T, la *labAccount) *step {
	t.Helper()
	s := &step{dir: la.dir, temp: t.TempDir()}
	s.outFile, s.summary, s.calls = filepath.Join(s.temp, "output"), filepath.Join(s.temp, "summary"), filepath.Join(s.temp, "calls")
	require.NoError(t, os.MkdirAll(filepath.Join(s.dir, "bin"), 0o755))
	// The job's labctl, pointed at the front (instead of AWS) and at the
	// project (instead of a checkout's root, where the job runs).
	wrapper := fmt.Sprintf("#!/usr/bin/env bash\necho \"labctl $*\" >> %q\nexec %q \"$@\" --project-dir %q --endpoint-url %q\n",
		s.calls, moto.Binary(labctlCmd), projectRoot(t), la.front.URL)
	require.NoError(t, os.WriteFile(filepath.Join(s.dir, "bin", "labctl"), []byte(wrapper), 0o755))
	return s
}

func (s *step) run(t *testing.T, script string, env ...string) (string, int) {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(projectRoot(t), ".github", "scripts", script))
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "RUNNER_TEMP="+s.temp, "GITHUB_OUTPUT="+s.outFile, "GITHUB_STEP_SUMMARY="+s.summary)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	}
	require.NoError(t, err, "%s", out)
	return string(out), 0
}

// pulumi is the job's next step, a stand-in that records that it ran.
func (s *step) pulumi(t *testing.T, command string) {
	t.Helper()
	f, err := os.OpenFile(s.calls, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	require.NoError(t, err)
	_, err = fmt.Fprintf(f, "pulumi %s --stack %s\n", command, stack)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

func (s *step) ranPulumi(t *testing.T, command string) bool {
	return strings.Contains(s.read(t, s.calls), "pulumi "+command+" ")
}

func (s *step) read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return ""
	}
	require.NoError(t, err)
	return string(b)
}

func (s *step) output(t *testing.T) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(s.read(t, s.outFile)), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			m[k] = v
		}
	}
	return m
}

func requireTools(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		_, err := exec.LookPath(tool)
		require.NoError(t, err, "%s is needed to run the workflow steps", tool)
	}
}
