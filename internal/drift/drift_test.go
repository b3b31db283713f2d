package drift

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The files in testdata/ are NOT recorded from a real `pulumi preview`: no
// AWS account is reachable from CI. They were written by hand after Pulumi's
// documented `pulumi preview --json` output, the display.PreviewDigest type
// (pulumi/pulumi pkg/display/json.go: config, steps with op, urn, provider,
// oldState and newState as apitype.ResourceV3, diffReasons, detailedDiff
// with kind and inputDiff; diagnostics with urn, message, severity;
// duration; changeSummary), with this program's resources and inputs as
// the golden plan tests/testdata/kms101-acct01.plan.json has them. The
// drifts are the lab's own: in task 6 a student removes the key user in
// the console (the console drops the two key-user statements when their
// last principal goes), or adds one; someone stops the trail's logging or
// retags it; the image object is deleted.

func preview(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".preview.json"))
	require.NoError(t, err)
	return data
}

const labUser = "arn:aws:iam::111122223333:user/AWSLabsUser"

func TestAnalyze(t *testing.T) {
	type change struct {
		resource, op, revert, accept string
		summaries                    []string
	}
	cases := []struct {
		name     string
		run      Run
		status   string
		reason   string
		changes  []change
		settings []string
	}{
		{
			name:   "in sync",
			run:    Run{ExitCode: 0, Preview: preview(t, "in-sync")},
			status: InSync,
		},
		{
			name:   "key users removed, trail stopped and retagged, image deleted",
			run:    Run{ExitCode: 255, Preview: preview(t, "drifted")},
			status: Drifted,
			changes: []change{
				{
					resource: "trail audit-trail", op: "update",
					summaries: []string{
						"enableLogging: now false (code: true)",
						`tags.class: now "kms101-spring" (code: "kms101")`,
					},
					revert: "sets enableLogging, tags.class back to the code's values",
					accept: "records AWS's values in the state; to keep them, change the code or the stack file too, or the next `pulumi up` reverts them",
				},
				{
					resource: "KMS key lab-key", op: "update",
					summaries: []string{
						`key policy: statement "Allow use of the key" removed, so no key users (code: [` + labUser + `])`,
						`key policy: statement "Allow attachment of persistent resources" removed, so no key users for grants (code: [` + labUser + `])`,
					},
					revert: "sets policy back to the code's values",
					accept: "records AWS's values in the state; to keep them, also set kms-lab:keyUsers in the stack file, or the next `pulumi up` reverts them",
				},
				{
					resource: "lab image object lab-image", op: "create",
					revert: "creates it again",
					accept: "drops it from the state; the next `pulumi up` still creates it again",
				},
			},
		},
		{
			name:   "key user added in the console",
			run:    Run{ExitCode: 255, Preview: preview(t, "key-user-added")},
			status: Drifted,
			changes: []change{{
				resource: "KMS key lab-key", op: "update",
				summaries: []string{
					"key policy: key users now [" + labUser + ", arn:aws:iam::111122223333:user/Student2] (code: [" + labUser + "])",
					"key policy: key users for grants now [" + labUser + ", arn:aws:iam::111122223333:user/Student2] (code: [" + labUser + "])",
				},
				revert: "sets policy back to the code's values",
				accept: "records AWS's values in the state; to keep them, also set kms-lab:keyUsers in the stack file, or the next `pulumi up` reverts them",
			}},
		},
		{
			name:   "lab role cannot be assumed",
			run:    Run{ExitCode: 255, Preview: preview(t, "unreachable")},
			status: Unreachable,
			reason: "error: pulumi:providers:aws resource 'default_6_83_4' has a problem: unable to validate AWS credentials. " +
				"Details: Cannot assume IAM Role. IAM Role ARN: arn:aws:iam::777788889999:role/kms-lab-deployer " +
				"Error: operation error STS: AssumeRole, https response error StatusCode: 403, RequestID: 5e2b7d7e-6f0c-4b5e-9f57-0e0f8b1f1a11, " +
				"api error AccessDenied: User: arn:aws:sts::123456789012:assumed-role/kms-lab-ci/kms-lab-1 is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::777788889999:role/kms-lab-deployer",
		},
		{
			name:   "preview printed nothing",
			run:    Run{ExitCode: 255, Stderr: "\nerror: failed to load checkpoint: blob (key \".pulumi/stacks/kms-lab/kms101-acct04.json\") not found\n"},
			status: Unreachable,
			reason: `error: failed to load checkpoint: blob (key ".pulumi/stacks/kms-lab/kms101-acct04.json") not found`,
		},
		{
			name:   "job failed before the preview",
			run:    Run{Error: "stack kms101-acct05 does not exist in the state backend"},
			status: Unreachable,
			reason: "stack kms101-acct05 does not exist in the state backend",
		},
		{
			name:   "non-zero exit without a change",
			run:    Run{ExitCode: 1, Preview: preview(t, "in-sync")},
			status: Unreachable,
			reason: "the preview exited 1 without naming a change",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := Analyze(tc.run)
			assert.Equal(t, tc.status, rep.Status)
			assert.Equal(t, tc.reason, rep.Reason)
			require.Len(t, rep.Changes, len(tc.changes))
			for i, want := range tc.changes {
				got := rep.Changes[i]
				assert.Equal(t, want.resource, got.Resource)
				assert.Equal(t, want.op, got.Op)
				var summaries []string
				for _, p := range got.Properties {
					summaries = append(summaries, p.Summary)
				}
				assert.Equal(t, want.summaries, summaries)
				assert.Equal(t, want.revert, got.Revert)
				assert.Equal(t, want.accept, got.Accept)
			}
		})
	}
}

func TestParseDigestRejectsWhatIsNotAPreview(t *testing.T) {
	for _, in := range []string{"", "  \n", "Previewing update (kms101-acct01):", `{"steps": 3}`} {
		_, err := parseDigest([]byte(in))
		assert.Error(t, err, "%q", in)
	}
}

func TestSplitPath(t *testing.T) {
	cases := map[string][]string{
		"policy":                             {"policy"},
		"tags.class":                         {"tags", "class"},
		"eventSelectors[0].readWriteType":    {"eventSelectors", "0", "readWriteType"},
		`tags["kms-lab:stack"]`:              {"tags", "kms-lab:stack"},
		`insightSelectors[1]["insightType"]`: {"insightSelectors", "1", "insightType"},
	}
	for in, want := range cases {
		assert.Equal(t, want, splitPath(in), in)
	}
}
