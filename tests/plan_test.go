package tests

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stackFiles are the committed Pulumi.<stack>.yaml files.
func stackFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(projectDir, "Pulumi.*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

// TestGoldenPlans renders every committed stack and compares it with
// testdata/<stack>.plan.json; -update rewrites them.
func TestGoldenPlans(t *testing.T) {
	for _, f := range stackFiles(t) {
		stack := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml")
		t.Run(stack, func(t *testing.T) {
			p, err := plan.RenderFile("", f, plan.Options{})
			require.NoError(t, err)
			got, err := plan.MarshalJSON(p)
			require.NoError(t, err)
			golden := filepath.Join("testdata", stack+".plan.json")
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, os.WriteFile(golden, got, 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "no golden plan; run go test ./tests -run GoldenPlans -update")
			assert.Equal(t, string(want), string(got), "plan of %s changed; review, then go test ./tests -update", stack)
		})
	}
}

var (
	labplanOnce sync.Once
	labplanBin  string
	labplanErr  error
)

// labplan builds the real command once per test run.
func labplan(t *testing.T) string {
	t.Helper()
	labplanOnce.Do(func() {
		dir, err := os.MkdirTemp("", "labplan-bin-")
		if err != nil {
			labplanErr = err
			return
		}
		labplanBin = filepath.Join(dir, "labplan")
		out, err := exec.Command("go", "build", "-o", labplanBin, "../cmd/labplan").CombinedOutput()
		if err != nil {
			labplanErr = err
			labplanBin = string(out)
		}
	})
	require.NoError(t, labplanErr, labplanBin)
	return labplanBin
}

type cmdResult struct {
	stdout, stderr string
	code           int
}

func runLabplan(t *testing.T, dir string, args ...string) cmdResult {
	t.Helper()
	cmd := exec.Command(labplan(t), args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return cmdResult{stdout.String(), stderr.String(), code}
}

// project writes a throwaway project: the real Pulumi.yaml and image, and the
// given stack config.
func project(t *testing.T, stack, stackYAML string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "assets/lab-image.png"} {
		b, err := os.ReadFile(filepath.Join(projectDir, f))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi."+stack+".yaml"), []byte(stackYAML), 0o644))
	return dir
}

func TestLabplanTextShowsWhatReviewersCheck(t *testing.T) {
	res := runLabplan(t, projectDir, "--config", "Pulumi.dev.yaml")
	require.Equal(t, 0, res.code, res.stderr)
	out := res.stdout
	for _, want := range []string{
		"Plan for stack dev (project kms-lab): 13 resources",
		"kms-lab:kms:EncryptionKey lab-key",
		`statement "Allow use of the key": Allow ["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"]`,
		"arn:aws:iam::111122223333:user/AWSLabsUser-example",
		"name: alias/myFirstKey",
		"bucket: mycloudtrailbucket<26 characters chosen at create time>, forceDestroy on",
		"blockPublicAcls=false ignorePublicAcls=false blockPublicPolicy=true restrictPublicBuckets=true",
		"object ownership: BucketOwnerPreferred",
		"name myTrail, multi-region on, global events on, log validation on, logging on",
		"insights: ApiCallRateInsight, ApiErrorRateInsight",
		"key lab-image.png, image/png, acl public-read",
		"encryption aws:kms with key arn:aws:kms:us-west-2:111122223333:key/",
		"depends on: aws:s3/bucketPolicy:BucketPolicy::trail-bucket",
		"objectUrl: https://mycloudtrailbucket",
	} {
		assert.Contains(t, out, want)
	}
	assert.Empty(t, res.stderr)
}

// A trail with dataEventsScope exclude-trail-bucket shows its advanced
// selectors in the text plan, bucket exclusion included, so a reviewer sees
// what the trail will log.
func TestLabplanTextShowsAdvancedSelectors(t *testing.T) {
	dir := project(t, "scope", "config:\n  aws:region: us-west-2\n  kms-lab:dataEventsScope: exclude-trail-bucket\n")
	res := runLabplan(t, dir, "--config", "Pulumi.scope.yaml", "--format", "text")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "advanced event selectors: ")
	assert.Contains(t, res.stdout, `"notStartsWiths":["arn:aws:s3:::mycloudtrailbucket`)
	assert.NotContains(t, res.stdout, "event selectors: null")
}

func TestLabplanJSONFormat(t *testing.T) {
	res := runLabplan(t, projectDir, "--config", "Pulumi.dev.yaml", "--format", "json")
	require.Equal(t, 0, res.code, res.stderr)
	p, err := plan.ReadJSON(strings.NewReader(res.stdout))
	require.NoError(t, err)
	assert.Equal(t, "dev", p.Stack)
	assert.Equal(t, "kms-lab", p.Project)
	for i := 1; i < len(p.Resources); i++ {
		assert.Less(t, p.Resources[i-1].URN, p.Resources[i].URN, "resources are sorted by URN")
	}
	key := p.Find("aws:kms/key:Key")
	require.NotNil(t, key)
	doc, ok := key.Inputs["policy"].(map[string]any)
	require.True(t, ok, "the key policy is decoded into an object, not a JSON string")
	assert.Equal(t, "2012-10-17", doc["Version"])
	obj := p.Find("aws:s3/bucketObjectv2:BucketObjectv2")
	require.NotNil(t, obj)
	assert.Equal(t, map[string]any{"asset": map[string]any{"path": "assets/lab-image.png", "sha256": sha256File(t, filepath.Join(projectDir, "assets/lab-image.png"))}}, obj.Inputs["source"])
	assert.NotEmpty(t, obj.DependsOn)
	assert.Contains(t, res.stdout, `"dependsOn": [`)
	assert.NotContains(t, res.stdout, string(filepath.Separator)+"tmp", "no machine path in a plan")

	again := runLabplan(t, projectDir, "--config", "Pulumi.dev.yaml", "--format", "json")
	assert.Equal(t, res.stdout, again.stdout, "two runs give byte-identical output")
}

func TestLabplanMarkdown(t *testing.T) {
	res := runLabplan(t, projectDir, "--config", "Pulumi.dev.yaml", "--format", "markdown")
	require.Equal(t, 0, res.code, res.stderr)
	assert.True(t, strings.HasPrefix(res.stdout, "### kms-lab plan: `dev`\n"))
	assert.Contains(t, res.stdout, "```text\n")
	assert.Contains(t, res.stdout, "| `keyAlias` | `alias/myFirstKey` |")
}

func TestLabplanTargets(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		{"china partition", []string{"--partition", "aws-cn", "--region", "cn-northwest-1", "--account", "444455556666"},
			[]string{"arn:aws-cn:iam::444455556666:root", "arn:aws-cn:cloudtrail:cn-northwest-1:444455556666:trail/myTrail", `"arn:aws-cn:s3"`, ".s3.cn-northwest-1.amazonaws.com.cn/lab-image.png", "https://console.amazonaws.cn/"},
			[]string{"arn:aws:"}},
		{"govcloud", []string{"--partition", "aws-us-gov", "--region", "us-gov-east-1", "--account", "777788889999"},
			[]string{"arn:aws-us-gov:iam::777788889999:user/AWSLabsUser-example", "arn:aws-us-gov:kms:us-gov-east-1:777788889999:key/", "console.amazonaws-us-gov.com"},
			[]string{"arn:aws:"}},
		{"assumed-role caller", []string{"--caller-arn", "arn:aws:sts::111122223333:assumed-role/LabDeployer/gh-actions-123"},
			[]string{`"AWS": "arn:aws:iam::111122223333:role/LabDeployer"`},
			[]string{"assumed-role"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--config", "Pulumi.dev.yaml", "--format", "json"}, tt.args...)
			res := runLabplan(t, projectDir, args...)
			require.Equal(t, 0, res.code, res.stderr)
			for _, w := range tt.want {
				assert.Contains(t, res.stdout, w)
			}
			for _, n := range tt.not {
				assert.NotContains(t, res.stdout, n)
			}
		})
	}
}

func TestLabplanSeveralAdministratorsAndUsers(t *testing.T) {
	dir := project(t, "class", `config:
  aws:region: eu-west-1
  kms-lab:keyAdministrators:
    - arn:aws:iam::111122223333:role/Teacher
    - arn:aws:iam::111122223333:user/AWSLabsUser-a
  kms-lab:keyUsers:
    - arn:aws:iam::111122223333:user/AWSLabsUser-b
    - arn:aws:iam::111122223333:user/AWSLabsUser-a
    - arn:aws:iam::111122223333:role/Grader
`)
	res := runLabplan(t, dir, "--config", "Pulumi.class.yaml", "--format", "json")
	require.Equal(t, 0, res.code, res.stderr)
	p, err := plan.ReadJSON(strings.NewReader(res.stdout))
	require.NoError(t, err)
	doc := p.Find("aws:kms/key:Key").Inputs["policy"].(map[string]any)
	assert.Equal(t, []string{"arn:aws:iam::111122223333:role/Teacher", "arn:aws:iam::111122223333:user/AWSLabsUser-a"}, awsPrincipals(statement(doc, "Allow access for Key Administrators")))
	assert.Equal(t, []string{"arn:aws:iam::111122223333:role/Grader", "arn:aws:iam::111122223333:user/AWSLabsUser-a", "arn:aws:iam::111122223333:user/AWSLabsUser-b"}, awsPrincipals(statement(doc, "Allow use of the key")))
	assert.Equal(t, "eu-west-1", p.Outputs["region"])
}

func TestLabplanInvalidConfig(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		wants []string
	}{
		{"program rules, all at once", `config:
  aws:region: us-west-2
  kms-lab:keyAlias: aws/mine
  kms-lab:keyDeletionWindowDays: 3
  kms-lab:bucketName: Not_A_Bucket
`, []string{"(3 problems)", `kms-lab:keyAlias = "aws/mine": must not start with aws/`, `kms-lab:keyDeletionWindowDays = "3": must be between 7 and 30 days`, `kms-lab:bucketName = "Not_A_Bucket"`}},
		{"schema types", `config:
  aws:region: us-west-2
  kms-lab:keyDeletionWindowDays: soon
  kms-lab:keyUsers: arn:aws:iam::111122223333:user/a
  kms-lab:keyRotaton: true
`, []string{"(3 problems)", "kms-lab:keyDeletionWindowDays = soon: must be an integer (Pulumi.yaml declares type integer)", "kms-lab:keyUsers = arn:aws:iam::111122223333:user/a: must be a list (Pulumi.yaml declares type array)", "kms-lab:keyRotaton: not a setting of this project"}},
		{"no region", `config:
  kms-lab:keyAlias: lab
`, []string{"aws:region is not set"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := project(t, "bad", tt.yaml)
			res := runLabplan(t, dir, "--config", "Pulumi.bad.yaml")
			assert.Equal(t, 2, res.code, "README: invalid config exits 2")
			assert.Empty(t, res.stdout, "nothing on stdout when the config is invalid")
			for _, w := range tt.wants {
				assert.Contains(t, res.stderr, w)
			}
		})
	}
	// The CLI refuses a typed key with no default and no value; so does labplan.
	dir := project(t, "strict", "config:\n  aws:region: us-west-2\n")
	projectYAML, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), append(projectYAML, []byte("  classCode:\n    type: string\n")...), 0o644))
	strict := runLabplan(t, dir, "--config", "Pulumi.strict.yaml")
	assert.Equal(t, 2, strict.code, "README: invalid config exits 2")
	assert.Contains(t, strict.stderr, "kms-lab:classCode: is missing: Pulumi.yaml declares it with a type and no default, so pulumi up requires a value")
	assert.Empty(t, strict.stdout)

	res := runLabplan(t, projectDir, "--config", "Pulumi.nope.yaml")
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "Pulumi.nope.yaml does not exist")
	assert.Empty(t, res.stdout)
}

// TestLabplanDiffRemovedKeyUser is lab task 6 as a reviewer sees it.
func TestLabplanDiffRemovedKeyUser(t *testing.T) {
	const a, b = "arn:aws:iam::111122223333:user/AWSLabsUser-a", "arn:aws:iam::111122223333:user/AWSLabsUser-b"
	dir := project(t, "lab", `config:
  aws:region: us-west-2
  kms-lab:keyAdministrators: ["`+a+`"]
  kms-lab:keyUsers: ["`+a+`", "`+b+`"]
`)
	before := runLabplan(t, dir, "--config", "Pulumi.lab.yaml", "--format", "json")
	require.Equal(t, 0, before.code, before.stderr)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "old.json"), []byte(before.stdout), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.lab.yaml"), []byte(`config:
  aws:region: us-west-2
  kms-lab:keyAdministrators: ["`+a+`"]
  kms-lab:keyUsers: ["`+a+`"]
`), 0o644))
	after := runLabplan(t, dir, "--config", "Pulumi.lab.yaml", "--format", "json")
	require.Equal(t, 0, after.code, after.stderr)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "new.json"), []byte(after.stdout), 0o644))

	oldPlan, err := plan.ReadJSON(strings.NewReader(before.stdout))
	require.NoError(t, err)
	newPlan, err := plan.ReadJSON(strings.NewReader(after.stdout))
	require.NoError(t, err)
	changes := plan.Diff(oldPlan, newPlan)
	require.Len(t, changes, 1, "only the key changes: %+v", changes)
	c := changes[0]
	assert.Equal(t, "aws:kms/key:Key", c.Type)
	assert.Equal(t, plan.Changed, c.Kind)
	// The console's default policy names key users in two statements, so
	// both change, each in exactly one path: its AWS principal list.
	assert.Equal(t, []string{"Allow attachment of persistent resources", "Allow use of the key"}, c.ChangedStatements())
	require.Len(t, c.Paths, 2)
	for _, p := range c.Paths {
		assert.True(t, strings.HasSuffix(p.Path, "].Principal.AWS"), p.Path)
		assert.Equal(t, []any{a, b}, p.Old)
		assert.Equal(t, a, p.New)
	}

	text := runLabplan(t, dir, "diff", "old.json", "new.json")
	require.Equal(t, 0, text.code, text.stderr)
	assert.Contains(t, text.stdout, "0 to add, 1 to change, 0 to remove.")
	assert.Contains(t, text.stdout, `~ inputs.policy.Statement[Sid="Allow use of the key"].Principal.AWS: ["`+a+`","`+b+`"] => `+a)
	md := runLabplan(t, dir, "diff", "old.json", "new.json", "--format", "markdown")
	require.Equal(t, 0, md.code, md.stderr)
	assert.Contains(t, md.stdout, "| ~ | `aws:kms/key:Key::lab-key` | `aws:kms/key:Key` |")

	back := runLabplan(t, dir, "diff", "new.json", "old.json")
	assert.Contains(t, back.stdout, `=> ["`+a+`","`+b+`"]`, "adding the user back is the reverse change")
	same := runLabplan(t, dir, "diff", "old.json", "old.json")
	assert.Equal(t, "No changes.\n", same.stdout)
}

func TestLabplanDiffGitRefs(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed for labplan diff --base-ref")
	}
	dir := project(t, "lab", "config:\n  aws:region: us-west-2\n")
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
	}
	git("init", "-q", "-b", "main")
	git("add", ".")
	git("commit", "-qm", "base")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.lab.yaml"), []byte("config:\n  aws:region: us-west-2\n  kms-lab:insights: false\n"), 0o644))
	git("commit", "-qam", "head")

	res := runLabplan(t, dir, "diff", "--base-ref", "HEAD~1", "--head-ref", "HEAD", "--config", "Pulumi.lab.yaml", "--format", "markdown")
	require.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "### kms-lab plan diff: `lab` (HEAD~1 → HEAD)")
	assert.Contains(t, res.stdout, "aws:cloudtrail/trail:Trail::audit-trail")
	assert.Contains(t, res.stdout, "- inputs.insightSelectors:")
	assert.Contains(t, res.stdout, "0 to add, 1 to change, 0 to remove.")

	bad := runLabplan(t, dir, "diff", "--base-ref", "no-such-ref", "--head-ref", "HEAD", "--config", "Pulumi.lab.yaml")
	assert.Equal(t, 2, bad.code)
	assert.Contains(t, bad.stderr, `git ref "no-such-ref" does not name a commit`)
	assert.Empty(t, bad.stdout)
}

// TestLabplanTargetFromStackConfig: a lab-account stack pins its account and
// deploys through a role; the plan follows both unless flags say otherwise.
func TestLabplanTargetFromStackConfig(t *testing.T) {
	dir := project(t, "acct", `config:
  aws:region: eu-west-1
  aws:allowedAccountIds: ["444455556666"]
  aws:assumeRole:
    roleArn: arn:aws:iam::444455556666:role/ci/kms-lab-deployer
    sessionName: kms-lab-acct
`)
	res := runLabplan(t, dir, "--config", "Pulumi.acct.yaml", "--format", "json")
	require.Equal(t, 0, res.code, res.stderr)
	p, err := plan.ReadJSON(strings.NewReader(res.stdout))
	require.NoError(t, err)
	assert.Equal(t, "444455556666", p.Outputs["accountId"])
	assert.Equal(t, []any{"arn:aws:iam::444455556666:role/ci/kms-lab-deployer"}, p.Outputs["keyUsers"],
		"the deployer role, with its path, is the default key user")

	override := runLabplan(t, dir, "--config", "Pulumi.acct.yaml", "--format", "json", "--account", "777788889999",
		"--caller-arn", "arn:aws:iam::777788889999:user/teacher")
	require.Equal(t, 0, override.code, override.stderr)
	assert.Contains(t, override.stdout, `"accountId": "777788889999"`)
	assert.Contains(t, override.stdout, `"arn:aws:iam::777788889999:user/teacher"`)
}
