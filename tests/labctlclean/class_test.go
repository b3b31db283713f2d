package labctlclean_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	classclean "github.com/kms-lab/kms-lab/internal/labctl/cmd/class/clean"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// writeClass writes classes/<name>.yaml and a Pulumi.<stack>.yaml per
// account into dir, the layout docs/classes.md describes: each stack
// assumes the instructor role in its account, in region.
func writeClass(t testing.TB, dir, name string, accounts []string) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "classes"), 0o755))
	var stacks []string
	for i, account := range accounts {
		stack := fmt.Sprintf("%s-acct%02d", name, i+1)
		stacks = append(stacks, "  - "+stack)
		stackFile := fmt.Sprintf("config:\n  aws:region: %s\n  aws:allowedAccountIds:\n    - \"%s\"\n  aws:assumeRole:\n    roleArn: %s\n    sessionName: kms-lab-%s\n",
			region, account, roleARN(account), stack)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi."+stack+".yaml"), []byte(stackFile), 0o644))
	}
	classFile := filepath.Join(dir, "classes", name+".yaml")
	body := fmt.Sprintf("name: %s\ndescription: clean e2e class\nenabled: true\nmode: by-hand\nstacks:\n%s\n", name, strings.Join(stacks, "\n"))
	require.NoError(t, os.WriteFile(classFile, []byte(body), 0o644))
	return classFile
}

// refuseAssumeRole answers sts:AssumeRole of role as AWS refuses a caller
// the role does not trust: HTTP 403, AccessDenied (AWS STS API Reference,
// AssumeRole, Errors). moto lets anyone assume any role.
func refuseAssumeRole(role string) mototest.Answer {
	return func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || r.Header.Get("X-Amz-Target") != "" {
			return false
		}
		form := mototest.QueryForm(r)
		if form.Get("Action") != "AssumeRole" || form.Get("RoleArn") != role {
			return false
		}
		awswire.WriteQueryAccessDenied(w, awswire.STSNamespace, "User: arn:aws:iam::123456789012:user/instructor is not authorized to perform: sts:AssumeRole on resource: "+role)
		return true
	}
}

// classReport is the part of `class clean --format json` the test reads.
type classReport struct {
	Class    string `json:"class"`
	DryRun   bool   `json:"dryRun"`
	Accounts []struct {
		Stack   string   `json:"stack"`
		Account string   `json:"account"`
		Status  string   `json:"status"`
		Error   string   `json:"error"`
		Actions []action `json:"actions"`
	} `json:"accounts"`
}

func runClassClean(t testing.TB, endpoint string, args ...string) (classReport, string, int) {
	t.Helper()
	f, out, errOut := factory(connector("", ""))
	cmd := classclean.NewCmdClean(f, nil)
	cmd.SetArgs(append(args, "--endpoint-url", endpoint, "--format", "json"))
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	err := cmd.ExecuteContext(context.Background())
	code, _ := cmdutil.ExitCode(err)
	var rep classReport
	require.NoError(t, json.Unmarshal(out.Bytes(), &rep), "class clean --format json: %s; stderr: %s; error: %v", out, errOut, err)
	return rep, errOut.String(), code
}

func TestClassClean(t *testing.T) {
	moto := shared.Need(t)
	var accounts []string
	for i := range 3 {
		accounts = append(accounts, fmt.Sprintf("6%011d", 40000+i))
	}
	unreachable := accounts[2]
	front := mototest.NewFront(t, moto.URL, refuseAssumeRole(roleARN(unreachable)))
	var sdks []*handlab.Console
	for _, a := range accounts[:2] {
		c := accountSDK(t, moto.URL, a, region)
		buildLab(t, c)
		sdks = append(sdks, c)
	}
	classFile := writeClass(t, t.TempDir(), "kms-clean", accounts)

	rep, stderr, code := runClassClean(t, front.URL, classFile)
	assert.Equal(t, 2, code, "an unreachable account: exit 2 after every row; stderr: %s", stderr)
	require.Len(t, rep.Accounts, 3)
	assert.True(t, rep.DryRun)
	for i, c := range sdks {
		assert.Equal(t, "planned", rep.Accounts[i].Status, rep.Accounts[i].Stack)
		assert.Equal(t, []string{"myTrail"}, list(t, c).trails, "the dry run removes nothing")
	}

	rep, stderr, code = runClassClean(t, front.URL, classFile, "--yes", "--parallel", "2")
	assert.Equal(t, 2, code, "stderr: %s", stderr)
	require.Len(t, rep.Accounts, 3)
	for i, c := range sdks {
		assert.Equal(t, "clean", rep.Accounts[i].Status, rep.Accounts[i].Stack)
		inv := list(t, c)
		assert.Empty(t, inv.trails, "%s: trails left", accounts[i])
		assert.Empty(t, inv.buckets, "%s: buckets left", accounts[i])
		assert.Empty(t, inv.aliases, "%s: aliases left", accounts[i])
		for id, state := range inv.keys {
			assert.Equal(t, "PendingDeletion", state, "%s: key %s", accounts[i], id)
		}
	}
	row := rep.Accounts[2]
	assert.Equal(t, unreachable, row.Account)
	assert.Equal(t, "unreachable", row.Status)
	assert.Contains(t, row.Error, "not authorized to perform: sts:AssumeRole")
	assert.Contains(t, stderr, "[3/3]", "progress goes to stderr, a line per account")
}
