package tests

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/kms-lab/kms-lab/internal/awsmock"
	"github.com/kms-lab/kms-lab/internal/plan"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/require"
)

// labRun is one run of the real program on the mock engine.
type labRun struct {
	regs    []awsmock.Registration
	calls   []string
	outputs map[string]any
	err     error
}

// defaultEnv is the lab as a student sees it: the documentation account,
// us-west-2, signed in as an IAM user.
func defaultEnv() awsmock.Env {
	return awsmock.Env{AccountID: "111122223333", Region: "us-west-2", Partition: "aws"}
}

// runLab runs the program with the given kms-lab:* config on mocks, through
// the offline plan's runner, and keeps every registration and the outputs.
func runLab(t *testing.T, values map[string]string, env awsmock.Env) *labRun {
	t.Helper()
	root, err := filepath.Abs(projectDir)
	require.NoError(t, err)
	run, err := plan.RunProgram("kms-lab", "test", values, root, env)
	require.NotNil(t, run)
	return &labRun{regs: run.Registrations, calls: run.Calls, outputs: jsonRoundTrip(run.Outputs), err: err}
}

// mustRun runs the lab and fails the test on error.
func mustRun(t *testing.T, values map[string]string, env awsmock.Env) *labRun {
	t.Helper()
	r := runLab(t, values, env)
	require.NoError(t, r.err)
	return r
}

// one returns the only registration of a type.
func (r *labRun) one(t *testing.T, typ string) awsmock.Registration {
	t.Helper()
	var found []awsmock.Registration
	for _, reg := range r.regs {
		if reg.Type == typ {
			found = append(found, reg)
		}
	}
	require.Len(t, found, 1, "registrations of %s", typ)
	return found[0]
}

// inputs returns a registration's inputs as plain Go values.
func inputs(reg awsmock.Registration) map[string]any {
	return reg.Inputs.Mappable()
}

// policyDoc decodes a policy input into a document.
func policyDoc(t *testing.T, reg awsmock.Registration) map[string]any {
	t.Helper()
	raw, ok := inputs(reg)["policy"].(string)
	require.True(t, ok, "%s has a policy string", reg.Type)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(raw), &doc))
	return doc
}

// statement returns the statement with a Sid, or nil.
func statement(doc map[string]any, sid string) map[string]any {
	stmts, _ := doc["Statement"].([]any)
	for _, s := range stmts {
		if m, ok := s.(map[string]any); ok && m["Sid"] == sid {
			return m
		}
	}
	return nil
}

// sids lists a document's statement ids in order.
func sids(doc map[string]any) []string {
	var out []string
	stmts, _ := doc["Statement"].([]any)
	for _, s := range stmts {
		if m, ok := s.(map[string]any); ok {
			sid, _ := m["Sid"].(string)
			out = append(out, sid)
		}
	}
	return out
}

func pulumiCall(token string) pulumi.MockCallArgs {
	return pulumi.MockCallArgs{Token: token}
}

func pulumiResource(typ string) pulumi.MockResourceArgs {
	return pulumi.MockResourceArgs{TypeToken: typ, Name: "x", Custom: true}
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// jsonRoundTrip gives outputs the shapes `pulumi stack output --json` has.
func jsonRoundTrip(m map[string]any) map[string]any {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}
