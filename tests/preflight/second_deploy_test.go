package preflight_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/kms-lab/kms-lab/internal/stackconfig"
	"github.com/kms-lab/kms-lab/internal/testenv/emulatorapply"
	"github.com/kms-lab/kms-lab/internal/testenv/stepenv"
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
	stepenv.RequireTools(t, "bash", "jq")
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
			// The job: preflight, the pulumi step (default if: success()),
			// then the verdict (if: always() && the preflight step
			// succeeded), as tests/workflows_steps_test.go runs it.
			out, code := step.Run(t, "preflight.sh", "COMMAND="+tt.command, "STACK="+stack)
			assert.Equal(t, tt.wantCode, code, "%s", out)
			assert.Equal(t, tt.verdict, step.Outputs(t)["verdict"], "%s", out)
			if code == 0 {
				require.NoError(t, exec.Command(filepath.Join(step.Work, "fakes", "pulumi"), tt.command, "--stack", stack).Run())
				out, code = step.Run(t, "preflight-verdict.sh", "VERDICT="+step.Outputs(t)["verdict"], "STACK="+stack)
				assert.Equal(t, 0, code, "%s", out)
			}
			calls := step.Read(t, step.Calls)
			assert.Contains(t, calls, "labctl preflight --config Pulumi.pf.yaml --json\n")
			assert.Equal(t, tt.wantPulumi, strings.Contains(calls, "pulumi "+tt.command+" "), "pulumi ran: %s", calls)
			summary := step.Read(t, step.Summary)
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

// newStep is the job's directory for the preflight step: the stack file's
// directory, with bin/labctl the built labctl pointed at the front
// (instead of AWS) and at the project (instead of a checkout's root, where
// the job runs).
func newStep(t *testing.T, la *labAccount) stepenv.Env {
	t.Helper()
	e := stepenv.New(t, filepath.Join(projectRoot(t), ".github", "scripts"), la.dir)
	e.Fake(t, "bin/labctl", fmt.Sprintf("exec %q \"$@\" --project-dir %q --endpoint-url %q", moto.Binary(labctlCmd), projectRoot(t), la.front.URL))
	e.Fake(t, "fakes/pulumi", "exit 0")
	return e
}
