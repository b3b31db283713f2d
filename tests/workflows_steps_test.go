package tests

// What the README and docs/teardown.md promise of the workflows, tested by
// running the step scripts (.github/scripts/) the way a job runs them, with
// stand-in `labctl` and `pulumi` commands, rather than by reading the YAML
// alone. A job runs its steps in order and skips every later step without
// always() once one fails (GitHub Docs, "Expressions": a step's default
// if is success()); the stand-in job below follows that rule, and the
// wiring tests check that the YAML gives the steps the conditions assumed.

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/stepenv"
)

// scripts is where the step scripts are, seen from this package.
var scripts = filepath.Join(clsRoot, ".github", "scripts")

// A preflight report in labctl's JSON shape (docs/report.md): one check
// passed, one failed.
const preflightFailJSON = `{"checks": [{"name": "trail quota", "status": "pass", "detail": "4 of 5 trails"},
{"name": "alias free", "status": "fail", "detail": "alias/myFirstKey exists | owned by another key"}]}`

// TestPreflightGatesTheDeploy: a preflight fail stops up before Pulumi runs;
// a preview still runs and then fails the job; a preflight that could not
// run stops both; a pass lets both through.
func TestPreflightGatesTheDeploy(t *testing.T) {
	stepenv.RequireTools(t, "bash", "jq")
	cases := []struct {
		command      string
		labctlExit   int
		wantPulumi   bool // the pulumi step ran
		wantJobFails bool
		wantMessage  string
	}{
		{"up", 0, true, false, ""},
		{"up", 1, false, true, "::error::labctl preflight: a check failed for acct01 (see the job summary); up stops here"},
		{"up", 2, false, true, "::error::labctl preflight could not check acct01: labctl: AWS throttled this read"},
		{"preview", 0, true, false, ""},
		{"preview", 1, true, true, "::error::labctl preflight failed for acct01; the preview ran, but deploying this stack would stop at preflight"},
		{"preview", 2, false, true, "::error::labctl preflight could not check acct01"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s, preflight exit %d", tc.command, tc.labctlExit), func(t *testing.T) {
			e := stepenv.New(t, scripts, "")
			e.Fake(t, "bin/labctl", fmt.Sprintf(`case %d in
  0) echo '{"checks": [{"name": "trail quota", "status": "pass", "detail": "4 of 5 trails"}]}' ;;
  1) echo '%s' ;;
  *) echo "labctl: AWS throttled this read; retry in a minute" >&2 ;;
esac
exit %d`, tc.labctlExit, strings.ReplaceAll(preflightFailJSON, "\n", " "), tc.labctlExit))
			e.Fake(t, "fakes/pulumi", "exit 0")

			// The job: preflight, the pulumi step (default if: success()),
			// then the verdict (if: always() && the preflight step succeeded).
			var log strings.Builder
			env := []string{"COMMAND=" + tc.command, "STACK=acct01"}
			out, code := e.Run(t, "preflight.sh", env...)
			log.WriteString(out)
			failed := code != 0
			if !failed {
				cmd := exec.Command(filepath.Join(e.Work, "fakes", "pulumi"), tc.command, "--stack", "acct01")
				require.NoError(t, cmd.Run())
				out, code = e.Run(t, "preflight-verdict.sh", append(env, "VERDICT="+e.Outputs(t)["verdict"])...)
				log.WriteString(out)
				failed = code != 0
			}
			calls := e.Read(t, e.Calls)
			assert.Contains(t, calls, "labctl preflight --config Pulumi.acct01.yaml --json\n")
			assert.Equal(t, tc.wantPulumi, strings.Contains(calls, "pulumi "+tc.command), "pulumi ran: %s", calls)
			assert.Equal(t, tc.wantJobFails, failed, "%s", log.String())
			if tc.wantMessage != "" {
				assert.Contains(t, log.String(), tc.wantMessage)
			}
			summary := e.Read(t, e.Summary)
			switch tc.labctlExit {
			case 0:
				assert.Contains(t, summary, "### Preflight of `acct01`: pass")
			case 1:
				assert.Contains(t, summary, "### Preflight of `acct01`: fail")
				assert.Contains(t, summary, "| alias free | **fail** | alias/myFirstKey exists \\| owned by another key |")
				assert.Contains(t, summary, "| trail quota | pass | 4 of 5 trails |")
			default:
				assert.Contains(t, summary, "could not run (exit 2)")
				assert.Contains(t, summary, "AWS throttled this read")
			}
		})
	}
}

// TestPreflightWiring: the YAML gives the steps the conditions the stand-in
// job above assumes.
func TestPreflightWiring(t *testing.T) {
	stack := wfByFile(t, "_stack.yml")
	pre, iPre := wfStep(t, stack, "pulumi", "labctl preflight")
	assert.Equal(t, "bash .github/scripts/preflight.sh", pre["run"])
	assert.Nil(t, pre["continue-on-error"], "the script decides; a failed step stops the job")
	pulumi, iPulumi := wfStep(t, stack, "pulumi", "pulumi ${{ inputs.command }}")
	cond, _ := pulumi["if"].(string)
	assert.NotContains(t, cond, "always()", "the pulumi step runs only while every step before it succeeded")
	assert.NotContains(t, cond, "failure()")
	assert.Greater(t, iPulumi, iPre)
	verdict, iVerdict := wfStep(t, stack, "pulumi", "Preflight verdict")
	assert.Equal(t, "always() && steps.preflight.outcome == 'success'", verdict["if"])
	assert.Equal(t, "${{ steps.preflight.outputs.verdict }}", clsMap(verdict["env"])["VERDICT"])
	assert.Equal(t, "bash .github/scripts/preflight-verdict.sh", verdict["run"])
	steps, _ := stack.jobs()["pulumi"]["steps"].([]any)
	assert.Equal(t, len(steps)-1, iVerdict, "the verdict is the job's last step")
}

// TestTeardownByMode runs the teardown step both ways: a deployed class's
// stack goes with pulumi destroy (tried twice), a by-hand class with labctl
// class clean --yes; neither mode runs the other's command.
func TestTeardownByMode(t *testing.T) {
	stepenv.RequireTools(t, "bash", "jq")
	cleanJSON := `{"class": "kms101", "dryRun": false, "accounts": [
{"stack": "kms101-acct02", "account": "111122223334", "region": "us-west-2", "status": "left", "error": "bucket mycloudtrailbucket1: AccessDenied"},
{"stack": "kms101-acct01", "account": "111122223333", "region": "us-west-2", "status": "clean", "actions": []}]}`
	cases := []struct {
		name        string
		env         []string
		pulumi      string // the stand-in pulumi's body
		labctl      string // the stand-in labctl's body
		wantCode    int
		wantCalls   []string
		wantOutputs map[string]string
		wantLog     string
		wantSummary []string
	}{
		{name: "deployed, destroyed at once", env: []string{"MODE=deployed", "REF=org/kms-lab/acct01", "REMOVE=false"},
			pulumi: "exit 0", wantCode: 0,
			wantCalls:   []string{"pulumi destroy --stack org/kms-lab/acct01 --yes --non-interactive --refresh --skip-preview"},
			wantOutputs: map[string]string{"first": "success", "second": "skipped"}},
		{name: "deployed, second attempt, with --remove", env: []string{"MODE=deployed", "REF=acct01", "REMOVE=true"},
			pulumi: `n=$(grep -c '^pulumi ' "$CALLS"); [ "$n" -ge 2 ]`, wantCode: 0,
			wantCalls: []string{
				"pulumi destroy --stack acct01 --yes --non-interactive --refresh --skip-preview --remove",
				"pulumi destroy --stack acct01 --yes --non-interactive --refresh --skip-preview --remove"},
			wantOutputs: map[string]string{"first": "failure", "second": "success"},
			wantLog:     "::warning::pulumi destroy of acct01 failed once; trying again"},
		{name: "deployed, failed twice", env: []string{"MODE=deployed", "REF=acct01"},
			pulumi: "exit 255", wantCode: 1,
			wantCalls: []string{
				"pulumi destroy --stack acct01 --yes --non-interactive --refresh --skip-preview",
				"pulumi destroy --stack acct01 --yes --non-interactive --refresh --skip-preview"},
			wantOutputs: map[string]string{"first": "failure", "second": "failure"},
			wantLog:     "::error::pulumi destroy of acct01 failed twice"},
		{name: "by-hand, nothing left", env: []string{"MODE=by-hand", "CLASS=kms101"},
			labctl: `echo '{"class": "kms101", "dryRun": false, "accounts": [{"stack": "kms101-acct01", "account": "111122223333", "region": "us-west-2", "status": "clean"}]}'`, wantCode: 0,
			wantCalls:   []string{"labctl class clean classes/kms101.yaml --yes --format json"},
			wantSummary: []string{"### Clean of class `kms101` (mode by-hand): nothing left", "| `kms101-acct01` | 111122223333 | us-west-2 | clean |  |"}},
		{name: "by-hand, something left", env: []string{"MODE=by-hand", "CLASS=kms101"},
			labctl: "echo '" + strings.ReplaceAll(cleanJSON, "\n", " ") + "'; exit 1", wantCode: 1,
			wantCalls: []string{"labctl class clean classes/kms101.yaml --yes --format json"},
			wantLog:   "::error::labctl class clean left something in class kms101",
			wantSummary: []string{"something left",
				// sorted by stack, as reviewers diff it
				"| `kms101-acct01` | 111122223333 | us-west-2 | clean |  |\n| `kms101-acct02` | 111122223334 | us-west-2 | left | bucket mycloudtrailbucket1: AccessDenied |"}},
		{name: "by-hand, could not run", env: []string{"MODE=by-hand", "CLASS=kms101"},
			labctl: "echo 'labctl: class file classes/kms101.yaml: mode: deployed is torn down with pulumi destroy' >&2; exit 2", wantCode: 1,
			wantCalls:   []string{"labctl class clean classes/kms101.yaml --yes --format json"},
			wantLog:     "::error::labctl class clean could not clean class kms101: labctl: class file classes/kms101.yaml: mode: deployed",
			wantSummary: []string{"could not run or reach every account (exit 2)"}},
		{name: "unknown mode", env: []string{"MODE=manual"}, wantCode: 2,
			wantLog: "::error::mode 'manual': must be deployed or by-hand"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := stepenv.New(t, scripts, "")
			e.Fake(t, "fakes/pulumi", "CALLS="+e.Calls+"\n"+orExit(tc.pulumi))
			e.Fake(t, "bin/labctl", orExit(tc.labctl))
			out, code := e.Run(t, "teardown.sh", tc.env...)
			assert.Equal(t, tc.wantCode, code, "%s", out)
			calls := strings.Split(strings.TrimSpace(e.Read(t, e.Calls)), "\n")
			if len(tc.wantCalls) == 0 {
				assert.Equal(t, []string{""}, calls, "no command runs for an unknown mode")
			} else {
				assert.Equal(t, tc.wantCalls, calls)
			}
			for k, v := range tc.wantOutputs {
				assert.Equal(t, v, e.Outputs(t)[k], "output %s", k)
			}
			if tc.wantLog != "" {
				assert.Contains(t, out, tc.wantLog)
			}
			summary := e.Read(t, e.Summary)
			for _, w := range tc.wantSummary {
				assert.Contains(t, summary, w)
			}
		})
	}
}

// orExit: a stand-in that was not expected to run fails loudly.
func orExit(body string) string {
	if body == "" {
		return "echo unexpected call >&2; exit 99"
	}
	return body
}

// TestTeardownWiring: a deployed class's stacks reach teardown.sh as
// MODE=deployed in _stack.yml; a by-hand class's clean job takes its matrix
// from classmatrix's clean output and runs it as MODE=by-hand in _clean.yml.
func TestTeardownWiring(t *testing.T) {
	stack := wfByFile(t, "_stack.yml")
	destroy, _ := wfStep(t, stack, "pulumi", "pulumi destroy")
	assert.Equal(t, "bash .github/scripts/teardown.sh", destroy["run"])
	assert.Equal(t, "deployed", clsMap(destroy["env"])["MODE"])
	report, _ := wfStep(t, stack, "pulumi", "Teardown report")
	assert.Equal(t, "${{ steps.destroy.outputs.first }}", clsMap(report["env"])["FIRST"])
	assert.Equal(t, "${{ steps.destroy.outputs.second }}", clsMap(report["env"])["SECOND"])

	clean := wfByFile(t, "_clean.yml")
	step, _ := wfStep(t, clean, "clean", "labctl class clean --yes")
	assert.Equal(t, "bash .github/scripts/teardown.sh", step["run"])
	assert.Equal(t, "by-hand", clsMap(step["env"])["MODE"])

	teardown := wfByFile(t, "teardown.yml")
	job := teardown.jobs()["clean"]
	require.NotNil(t, job, "teardown.yml has a clean job for by-hand classes")
	assert.Equal(t, "./.github/workflows/_clean.yml", job["uses"])
	assert.Equal(t, "${{ fromJSON(needs.classes.outputs.clean) }}", clsMap(job["strategy"])["matrix"])
	assert.Equal(t, "needs.classes.outputs.clean-count != '0'", job["if"])
	assert.Equal(t, "${{ matrix.class }}", clsMap(job["with"])["class"])
	build := teardown.jobs()["build"]
	assert.Contains(t, build["if"], "needs.classes.outputs.clean-count != '0'", "labctl is built for a by-hand teardown too")
}

// TestAWSProfiles runs the one step that defines aws:profile stacks'
// profiles, for one stack (_stack.yml) and for a class (_clean.yml), with a
// stand-in aws. What it must set is the AWS CLI's role profile (AWS CLI
// User Guide, "Use an IAM role in the AWS CLI": role_arn, credential_source
// Environment, role_session_name, region) for the role ARN
// arn:PARTITION:iam::ACCOUNT:role/NAME (IAM User Guide, "IAM ARNs").
func TestAWSProfiles(t *testing.T) {
	requireTools(t, "bash", "yq")
	stackFiles := map[string]string{
		"Pulumi.p01.yaml":      "config:\n  aws:region: us-west-2\n  aws:profile: lab01\n  aws:allowedAccountIds: [\"111122223333\"]\n",
		"Pulumi.p02.yaml":      "config:\n  aws:region: eu-west-1\n  aws:profile: lab02\n  aws:allowedAccountIds: [\"111122223334\"]\n",
		"Pulumi.gov.yaml":      "config:\n  aws:region: us-gov-west-1\n  aws:profile: gov\n  aws:allowedAccountIds: [\"111122223335\"]\n",
		"Pulumi.role.yaml":     "config:\n  aws:region: us-west-2\n  aws:assumeRole:\n    roleArn: arn:aws:iam::111122223336:role/kms-lab-deployer\n  aws:allowedAccountIds: [\"111122223336\"]\n",
		"Pulumi.both.yaml":     "config:\n  aws:region: us-west-2\n  aws:profile: lab07\n  aws:assumeRole:\n    roleArn: arn:aws:iam::111122223337:role/kms-lab-deployer\n  aws:allowedAccountIds: [\"111122223337\"]\n",
		"Pulumi.noacct.yaml":   "config:\n  aws:region: us-west-2\n  aws:profile: lab08\n",
		"Pulumi.p01again.yaml": "config:\n  aws:region: us-west-2\n  aws:profile: lab01\n  aws:allowedAccountIds: [\"111122223339\"]\n",
	}
	class := func(stacks ...string) string {
		return "name: c\nmode: by-hand\nstacks:\n  - " + strings.Join(stacks, "\n  - ") + "\n"
	}
	profile := func(name, arn, session, region string) []string {
		return []string{
			"aws configure set profile." + name + ".role_arn " + arn,
			"aws configure set profile." + name + ".credential_source Environment",
			"aws configure set profile." + name + ".role_session_name " + session,
			"aws configure set profile." + name + ".region " + region,
		}
	}
	cases := []struct {
		name      string
		class     string // classes/c.yaml, for CLASS=c
		env       []string
		wantCode  int
		wantCalls []string
		wantLog   []string
	}{
		{name: "one aws:profile stack", env: []string{"STACK=p01"},
			wantCalls: profile("lab01", "arn:aws:iam::111122223333:role/kms-lab-deployer", "kms-lab-p01", "us-west-2")},
		{name: "an aws:assumeRole stack needs no profile", env: []string{"STACK=role"}},
		{name: "GovCloud's partition, and LAB_ROLE_NAME", env: []string{"STACK=gov", "LAB_ROLE_NAME=lab-admin"},
			wantCalls: profile("gov", "arn:aws-us-gov:iam::111122223335:role/lab-admin", "kms-lab-gov", "us-gov-west-1")},
		{name: "a class: each aws:profile stack, in the class file's order", class: class("p02", "role", "p01"), env: []string{"CLASS=c"},
			wantCalls: append(profile("lab02", "arn:aws:iam::111122223334:role/kms-lab-deployer", "kms-lab-p02", "eu-west-1"),
				profile("lab01", "arn:aws:iam::111122223333:role/kms-lab-deployer", "kms-lab-p01", "us-west-2")...)},
		{name: "a class's problems, every one, and nothing defined", class: class("p01", "both", "noacct", "missing"), env: []string{"CLASS=c"},
			wantCode: 1, wantLog: []string{
				"::error file=Pulumi.both.yaml::set aws:assumeRole or aws:profile, not both",
				"::error file=Pulumi.noacct.yaml::aws:allowedAccountIds must hold the lab account's 12-digit ID: the profile lab08 assumes a role there",
				"::error file=Pulumi.missing.yaml::no stack file Pulumi.missing.yaml"}},
		{name: "one profile name for two accounts", class: class("p01", "p01again"), env: []string{"CLASS=c"},
			wantCode: 1, wantLog: []string{"::error file=Pulumi.p01again.yaml::the profile lab01 is also the profile of stack p01, for another account or region: give each its own name"}},
		{name: "no class file", env: []string{"CLASS=c"}, wantCode: 1, wantLog: []string{"::error file=classes/c.yaml::no class file classes/c.yaml"}},
		{name: "neither STACK nor CLASS", wantCode: 2, wantLog: []string{"::error::set STACK (one stack) or CLASS (a class file's stacks)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each yq takes a moment; the subtests share nothing
			e := newStepEnv(t)
			for name, body := range stackFiles {
				require.NoError(t, os.WriteFile(filepath.Join(e.work, name), []byte(body), 0o644))
			}
			if tc.class != "" {
				require.NoError(t, os.MkdirAll(filepath.Join(e.work, "classes"), 0o755))
				require.NoError(t, os.WriteFile(filepath.Join(e.work, "classes", "c.yaml"), []byte(tc.class), 0o644))
			}
			e.fake(t, "fakes/aws", "exit 0")
			out, code := e.run(t, "aws-profiles.sh", append([]string{"STACK=", "CLASS=", "LAB_ROLE_NAME="}, tc.env...)...)
			assert.Equal(t, tc.wantCode, code, "%s", out)
			calls := strings.TrimSpace(e.read(t, e.calls))
			if len(tc.wantCalls) == 0 {
				assert.Empty(t, calls, "no profile is defined")
			} else {
				assert.Equal(t, tc.wantCalls, strings.Split(calls, "\n"))
			}
			for _, w := range tc.wantLog {
				assert.Contains(t, out, w)
			}
		})
	}
}

// TestAWSProfilesWiring: a stack job and a class clean define profiles with
// the same step, after the OIDC credentials it assumes roles with and
// before the first command that reaches a lab account.
func TestAWSProfilesWiring(t *testing.T) {
	for _, tc := range []struct{ file, job, step, before string }{
		{"_stack.yml", "pulumi", "Define the stack's AWS profile on the runner", "labctl preflight"},
		{"_clean.yml", "clean", "Define the class's AWS profiles on the runner", "labctl class clean --yes"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			w := wfByFile(t, tc.file)
			step, i := wfStep(t, w, tc.job, tc.step)
			assert.Equal(t, "bash .github/scripts/aws-profiles.sh", step["run"])
			assert.Nil(t, step["if"], "it decides itself which stacks need a profile")
			assert.Equal(t, "${{ vars.LAB_ROLE_NAME || 'kms-lab-deployer' }}", clsMap(step["env"])["LAB_ROLE_NAME"])
			_, iOIDC := wfStep(t, w, tc.job, "AWS credentials (OIDC)")
			_, iUse := wfStep(t, w, tc.job, tc.before)
			assert.Greater(t, i, iOIDC)
			assert.Less(t, i, iUse)
		})
	}
}
