package root

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kms-lab/kms-lab/internal/buildinfo"
	plancmd "github.com/kms-lab/kms-lab/internal/labplan/cmd/plan"
	"github.com/kms-lab/kms-lab/internal/labplan/cmdutil"
)

func testFactory() (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return &cmdutil.Factory{
		IOStreams: &cmdutil.IOStreams{Out: &out, ErrOut: &errOut},
		BuildInfo: buildinfo.Info{Version: "1.2.0", Commit: "fedcba9876543210fedcba9876543210fedcba98", Date: "2026-12-01T09:00:00Z"},
	}, &out, &errOut
}

// The documented command line (docs/labplan.md) parses to the same options
// with or without the plan subcommand.
func TestPlanIsTheDefault(t *testing.T) {
	for _, args := range [][]string{
		{"--config", "Pulumi.dev.yaml", "--format", "json", "--account", "111122223333", "--region", "us-west-2"},
		{"plan", "--config", "Pulumi.dev.yaml", "--format", "json", "--account", "111122223333", "--region", "us-west-2"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			f, _, _ := testFactory()
			var got *plancmd.PlanOptions
			cmd := NewCmdRoot(f, func(o *plancmd.PlanOptions) error { got = o; return nil })
			cmd.SetArgs(args)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			if got == nil || got.ConfigPath != "Pulumi.dev.yaml" || got.Format != "json" ||
				got.Target.AccountID != "111122223333" || got.Target.Region != "us-west-2" {
				t.Errorf("options %+v", got)
			}
		})
	}
}

// Issue 14: "labplan's usage omits deployer-policy"; the help lists every
// command.
func TestHelpListsEveryCommand(t *testing.T) {
	f, out, _ := testFactory()
	if code := Main(f, []string{"--help"}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"\n  plan ", "\n  diff ", "\n  deployer-policy ", "\n  version ", "--config file"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}

func TestMainExitCodesAndMessages(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{"version", []string{"version"}, 0,
			"labplan 1.2.0 (commit fedcba9876543210fedcba9876543210fedcba98, 2026-12-01T09:00:00Z)\n", ""},
		{"no --config", []string{"--format", "json"}, 2, "",
			"labplan: --config is required: the stack file Pulumi.<stack>.yaml to plan\n"},
		{"bad format", []string{"--config", "Pulumi.dev.yaml", "--format", "yaml"}, 2, "",
			"labplan: --format \"yaml\": must be json, text or markdown\n"},
		{"unknown command", []string{"apply"}, 2, "",
			"labplan: unknown command \"apply\" for labplan: the commands are plan, diff, deployer-policy and version\n"},
		{"unknown flag", []string{"--confg", "x"}, 2, "",
			"labplan: unknown flag: --confg (see labplan --help)\n"},
		{"diff with one file", []string{"diff", "old.json"}, 2, "",
			"labplan: diff needs two plan files OLD.json NEW.json (got 1), or --base-ref, --head-ref and --config\n"},
		{"diff refs without config", []string{"diff", "--base-ref", "main", "--head-ref", "HEAD"}, 2, "",
			"labplan: diff by git refs needs --base-ref, --head-ref and --config, and no plan files (got 0 file argument(s))\n"},
		{"diff bad format", []string{"diff", "a.json", "b.json", "--format", "html"}, 2, "",
			"labplan: --format \"html\": must be text, markdown or json\n"},
		{"deployer-policy without config", []string{"deployer-policy"}, 2, "",
			"labplan: --config is required: the stack file Pulumi.<stack>.yaml whose deployer policy to print\n"},
		{"deployer-policy bad partition", []string{"deployer-policy", "--config", "P.yaml", "--partition", "aws-eu"}, 2, "",
			"labplan: --partition \"aws-eu\": must be aws, aws-cn or aws-us-gov\n"},
		{"missing plan file", []string{"diff", "does-not-exist-old.json", "does-not-exist-new.json"}, 2, "",
			"labplan: read plan: open does-not-exist-old.json: no such file or directory\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, out, errOut := testFactory()
			if code := Main(f, tc.args); code != tc.wantCode {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.wantCode, errOut)
			}
			if out.String() != tc.wantStdout {
				t.Errorf("stdout %q, want %q", out, tc.wantStdout)
			}
			if errOut.String() != tc.wantStderr {
				t.Errorf("stderr %q, want %q", errOut, tc.wantStderr)
			}
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, bytes.ErrTooLarge }

// A result that cannot be written is exit code 1 (docs/labplan.md).
func TestMainWriteFailure(t *testing.T) {
	f, _, errOut := testFactory()
	f.IOStreams.Out = failingWriter{}
	if code := Main(f, []string{"version"}); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.HasPrefix(errOut.String(), "labplan: write output: ") {
		t.Errorf("stderr %q", errOut)
	}
}

// Issue 24: every bad target flag in one run, each with its flag, value
// and rule, as a usage error (exit 2), before the stack file is read. A
// region is a name of a known partition (the AWS SDK's partitions, "AWS
// Regions" in the AWS General Reference); ” is not taken for the default.
func TestTargetFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"made-up region", []string{"--config", "Pulumi.dev.yaml", "--region", "mars-1"},
			`labplan: --region "mars-1": must be an AWS region name such as us-west-2, of a known partition (aws, aws-cn, aws-us-gov, ...)` + "\n"},
		{"empty region", []string{"--config", "Pulumi.dev.yaml", "--region", ""},
			`labplan: --region "": must be an AWS region name such as us-west-2, of a known partition (aws, aws-cn, aws-us-gov, ...)` + "\n"},
		{"every flag at once", []string{"--format", "yaml", "--account", "abc", "--region", "us-west-2", "--partition", "aws-cn"},
			`labplan: --config is required: the stack file Pulumi.<stack>.yaml to plan; --format "yaml": must be json, text or markdown; ` +
				`--account "abc": must be a 12-digit AWS account ID; --region us-west-2 is in partition aws, not --partition aws-cn: drop --partition, which follows --region` + "\n"},
		// deployer-policy's --region is * alone or Regions of --partition
		// (AWS General Reference, "AWS Regions": cn-north-1 is in aws-cn).
		{"deployer-policy: every flag at once", []string{"deployer-policy", "--account", "1234", "--region", "us-west-2,Ohio", "--partition", "aws-eu"},
			`labplan: --config is required: the stack file Pulumi.<stack>.yaml whose deployer policy to print; --partition "aws-eu": must be aws, aws-cn or aws-us-gov; ` +
				`--account "1234": must be a 12-digit AWS account ID; --region "Ohio": must be an AWS region name such as us-west-2, of a known partition (aws, aws-cn, aws-us-gov, ...), or * for any Region` + "\n"},
		{"deployer-policy: a Region of another partition", []string{"deployer-policy", "--config", "Pulumi.dev.yaml", "--region", "us-west-2,cn-north-1"},
			`labplan: --region cn-north-1 is in partition aws-cn, not --partition aws: give that partition, or a Region of aws` + "\n"},
		{"deployer-policy: * with a Region", []string{"deployer-policy", "--config", "Pulumi.dev.yaml", "--region", "*,us-west-2"},
			`labplan: --region "*,us-west-2": give * alone (any Region) or a comma-separated list of Regions, not both` + "\n"},
		{"deployer-policy: a Region twice, an empty one", []string{"deployer-policy", "--config", "Pulumi.dev.yaml", "--region", "us-west-2,,us-west-2"},
			`labplan: --region "": must be an AWS region name such as us-west-2, of a known partition (aws, aws-cn, aws-us-gov, ...), or * for any Region; ` +
				`--region "us-west-2,,us-west-2": us-west-2 is listed twice` + "\n"},
		{"diff", []string{"diff", "a.json", "b.json", "--region", "cn-north", "--partition", "aws-eu"},
			`labplan: --region "cn-north": must be an AWS region name such as us-west-2, of a known partition (aws, aws-cn, aws-us-gov, ...); --partition "aws-eu": must be aws, aws-cn or aws-us-gov` + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, out, errOut := testFactory()
			code := Main(f, tc.args)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q", out)
			}
			if errOut.String() != tc.want {
				t.Errorf("stderr\n%s\nwant\n%s", errOut, tc.want)
			}
		})
	}
}

// Issue 22: a --region in another partition than the stack's own region
// plans in that region's partition (AWS General Reference, "AWS Regions":
// cn-north-1 is in aws-cn), rather than failing as "not in partition aws".
func TestRegionOfAnotherPartition(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"Pulumi.yaml", "assets/lab-image.png"} {
		b, err := os.ReadFile(filepath.Join("../../../..", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stack := filepath.Join(dir, "Pulumi.lab.yaml")
	if err := os.WriteFile(stack, []byte("config:\n  aws:region: us-west-2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, out, errOut := testFactory()
	if code := Main(f, []string{"--config", stack, "--region", "cn-north-1", "--format", "json"}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The key policy's account-root principal is in the region's partition.
	if !strings.Contains(out.String(), `arn:aws-cn:iam::111122223333:root`) {
		t.Errorf("no aws-cn account root in the plan:\n%.2000s", out)
	}
	if strings.Contains(out.String(), `arn:aws:`) {
		t.Errorf("an aws-partition ARN in a cn-north-1 plan")
	}
}
