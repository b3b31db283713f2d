package labctlclass_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
)

// classStatus is the part of `class status --format json` the tests read.
type classStatus struct {
	Class       string    `json:"class"`
	Mode        string    `json:"mode"`
	GeneratedAt time.Time `json:"generatedAt"`
	Columns     []struct {
		ID   string `json:"id"`
		Pass int    `json:"pass"`
		Fail int    `json:"fail"`
	} `json:"columns"`
	Accounts []struct {
		Stack   string `json:"stack"`
		Account string `json:"account"`
		Status  string `json:"status"`
		Error   string `json:"error"`
		Cells   []struct {
			Column  string   `json:"column"`
			Status  string   `json:"status"`
			Details []string `json:"details"`
		} `json:"cells"`
	} `json:"accounts"`
}

// scenario is one lab account of a test class.
type scenario struct {
	stack, account, region string
	broken                 handlab.Breakage
	noLogs                 bool // task 5: no log file delivered yet
	unreachable            bool
	// want is each task's status; wantDetail a text some failing check
	// of the task must contain.
	want       [6]string
	wantDetail map[int]string
}

// writeClass writes classes/<name>.yaml and a Pulumi.<stack>.yaml per
// scenario into dir, the way docs/classes.md lays a class out: the stack
// assumes the instructor role in its account, and names the student in
// kms-lab:keyUsers.
func writeClass(t testing.TB, dir, name string, scs []scenario) string {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "classes"), 0o755))
	var stacks []string
	for _, sc := range scs {
		stacks = append(stacks, "  - "+sc.stack)
		student := handlab.Student(sc.account)
		stackFile := fmt.Sprintf(`config:
  aws:region: %s
  aws:allowedAccountIds:
    - "%s"
  aws:assumeRole:
    roleArn: arn:aws:iam::%s:role/%s
    sessionName: kms-lab-%s
  kms-lab:keyAdministrators:
    - %s
  kms-lab:keyUsers:
    - %s
`, sc.region, sc.account, sc.account, instructorRole, sc.stack, student, student)
		require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi."+sc.stack+".yaml"), []byte(stackFile), 0o644))
	}
	classFile := filepath.Join(dir, "classes", name+".yaml")
	body := fmt.Sprintf("name: %s\ndescription: e2e class\nenabled: true\nstacks:\n%s\n", name, strings.Join(stacks, "\n"))
	require.NoError(t, os.WriteFile(classFile, []byte(body), 0o644))
	return classFile
}

// runLabctl runs the binary with moto's test credentials and nothing from
// the machine's AWS configuration.
func runLabctl(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(shared.Binary(labctlCmd), args...)
	cmd.Env = labctlEnv(dir)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return out.String(), errb.String(), code
}

// labctlEnv is moto's test credentials and nothing from the machine's AWS
// configuration.
func labctlEnv(dir string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + dir,
		"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing",
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "no-aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "no-aws-credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
	}
}

// byHandClass is a class of lab accounts, each with one task done
// differently from the lab guide, and one the instructor cannot reach.
func byHandClass() []scenario {
	all := [6]string{"pass", "pass", "pass", "pass", "pass", "pass"}
	with := func(changes map[int]string) [6]string {
		w := all
		for task, st := range changes {
			w[task-1] = st
		}
		return w
	}
	return []scenario{
		{stack: "e2e-complete", account: "210000000001", region: "us-west-2", want: all},
		{stack: "e2e-sse-s3", account: "220000000002", region: "us-west-2", broken: handlab.Breakage{ImageSSES3: true},
			// An SSE-S3 object made public is served to anyone, so task 4's
			// refusal fails with it (Amazon S3 serves SSE-S3 objects to
			// anonymous GETs the ACL allows).
			want: with(map[int]string{3: "fail", 4: "fail"}),
			wantDetail: map[int]string{
				3: "the object is encrypted with SSE-S3; re-upload it choosing SSE-KMS and myFirstKey",
				4: "served to an anonymous caller",
			}},
		{stack: "e2e-no-insights", account: "230000000003", region: "us-east-1", broken: handlab.Breakage{NoInsights: true},
			want:       with(map[int]string{2: "fail"}),
			wantDetail: map[int]string{2: "select API call rate and API error rate"}},
		{stack: "e2e-never-restored", account: "240000000004", region: "us-west-2", broken: handlab.Breakage{NeverRestored: true},
			// The student is not a key user now: task 1's end state is gone
			// too.
			want: with(map[int]string{1: "fail", 6: "fail"}),
			wantDetail: map[int]string{
				1: "under Key users",
				6: "removed as a key user at",
			}},
		{stack: "e2e-not-public", account: "250000000005", region: "us-west-2", broken: handlab.Breakage{NotPublic: true},
			want:       with(map[int]string{4: "fail"}),
			wantDetail: map[int]string{4: "deselect Block all public access"}},
		{stack: "e2e-no-logs", account: "260000000006", region: "us-west-2", noLogs: true,
			want:       with(map[int]string{5: "unknown", 6: "unknown"}),
			wantDetail: map[int]string{5: "retry after"}},
		{stack: "e2e-unreachable", account: "270000000007", region: "us-west-2", unreachable: true},
	}
}

// buildClass builds each reachable scenario's lab in its own moto account
// and seeds its log files.
func buildClass(t testing.TB, motoURL string, scs []scenario) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	for _, sc := range scs {
		if sc.unreachable {
			continue
		}
		l := handlab.Build(t, accountClients(t, motoURL, sc.account, sc.region), handlab.Options{Break: sc.broken})
		if !sc.noLogs {
			now := time.Now().UTC()
			l.DeliverLog(t, l.Records(now, rng), now, rng)
		}
	}
}

func TestClassStatusByHand(t *testing.T) {
	moto := shared.Need(t)
	f := newFront(t, moto.URL)
	scs := byHandClass()
	for _, sc := range scs {
		if sc.unreachable {
			f.refuseRoles[fmt.Sprintf("arn:aws:iam::%s:role/%s", sc.account, instructorRole)] = true
		}
	}
	buildClass(t, moto.URL, scs)
	dir := t.TempDir()
	classFile := writeClass(t, dir, "e2e", scs)

	start := time.Now().UTC().Truncate(time.Second)
	out := filepath.Join(dir, "status.json")
	stdout, stderr, code := runLabctl(t, dir, "class", "status", classFile, "--mode", "by-hand",
		"--endpoint-url", f.URL, "--format", "json", "--out", out, "--parallel", "3")
	// An account that cannot be reached makes the exit code 2; the others
	// are still reported.
	assert.Equal(t, 2, code, "stderr: %s", stderr)
	assert.Empty(t, stdout, "--out takes the report")
	for i := range scs {
		assert.Contains(t, stderr, fmt.Sprintf("[%d/%d] ", i+1, len(scs)), "one progress line per account")
	}

	data, err := os.ReadFile(out)
	require.NoError(t, err)
	var got classStatus
	require.NoError(t, json.Unmarshal(data, &got), string(data))
	assert.Equal(t, "e2e", got.Class)
	assert.Equal(t, "by-hand", got.Mode)
	assert.False(t, got.GeneratedAt.Before(start), "generatedAt is the time of the run")
	require.Len(t, got.Accounts, len(scs))
	byStack := map[string]int{}
	for i, a := range got.Accounts {
		byStack[a.Stack] = i
		if i > 0 {
			assert.Less(t, got.Accounts[i-1].Stack, a.Stack, "rows are sorted by stack")
		}
	}
	for _, sc := range scs {
		t.Run(sc.stack, func(t *testing.T) {
			row := got.Accounts[byStack[sc.stack]]
			assert.Equal(t, sc.account, row.Account)
			if sc.unreachable {
				assert.Equal(t, "error", row.Status)
				assert.Contains(t, row.Error, "sts:AssumeRole")
				assert.Empty(t, row.Cells)
				return
			}
			require.Len(t, row.Cells, 6, "one cell per task")
			for i, c := range row.Cells {
				assert.Equal(t, fmt.Sprintf("task%d", i+1), c.Column)
				assert.Equal(t, sc.want[i], c.Status, "task %d: %v", i+1, c.Details)
				if sc.want[i] == "pass" {
					assert.Empty(t, c.Details, "task %d", i+1)
				}
				if want, ok := sc.wantDetail[i+1]; ok {
					assert.Contains(t, strings.Join(c.Details, "\n"), want, "task %d", i+1)
				}
			}
		})
	}
	// The class's pass counts per task: the complete lab and every account
	// whose breakage is elsewhere pass a task.
	wantPass := map[string]int{"task1": 5, "task2": 5, "task3": 5, "task4": 4, "task5": 5, "task6": 4}
	for _, col := range got.Columns {
		assert.Equal(t, wantPass[col.ID], col.Pass, "pass count of %s", col.ID)
	}

	// Issue 22, "Grades out": the gradebook CSV of the same class with a
	// roster, read back with encoding/csv: one line per account, each
	// task's status as the JSON gives it, the student beside the stack.
	// The roster lacks one stack and names one the class does not have:
	// both are said on stderr and the run goes on.
	t.Run("csv with a roster", func(t *testing.T) {
		roster := filepath.Join(t.TempDir(), "e2e.csv")
		var lines []string
		names := map[string]string{}
		for i, sc := range scs[1:] { // the first stack has no line
			names[sc.stack] = fmt.Sprintf("Étudiant %d, \"nick\" %d", i, i)
			lines = append(lines, fmt.Sprintf("%s,\"Étudiant %d, \"\"nick\"\" %d\",s%d@example.edu", sc.stack, i, i, i))
		}
		lines = append(lines, "e2e-gone,=1+1,gone@example.edu")
		require.NoError(t, os.WriteFile(roster, []byte("stack,name,email\n"+strings.Join(lines, "\n")+"\n"), 0o600))
		stdout, stderr, code := runLabctl(t, dir, "class", "status", classFile, "--mode", "by-hand",
			"--endpoint-url", f.URL, "--format", "csv", "--roster", roster, "--parallel", "3")
		assert.Equal(t, 2, code, "the unreachable account, as before: stderr: %s", stderr)
		assert.Contains(t, stderr, "roster "+roster+": stack "+scs[0].stack+" has no line in the roster: it is shown without a name\n")
		assert.Contains(t, stderr, "roster "+roster+": the roster names =1+1 for stack e2e-gone, which the class does not list\n")

		rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
		require.NoError(t, err, stdout)
		require.Len(t, rows, len(scs)+1, stdout)
		assert.Equal(t, []string{"stack", "student", "email", "student_id", "account", "region",
			"task1", "task2", "task3", "task4", "task5", "task6", "passed", "total", "checked_at"}, rows[0])
		for _, row := range rows[1:] {
			sc := scs[slices.IndexFunc(scs, func(s scenario) bool { return s.stack == row[0] })]
			assert.Equal(t, names[sc.stack], row[1], sc.stack)
			assert.Equal(t, sc.account, row[4], sc.stack)
			tasks := sc.want[:]
			if sc.unreachable {
				tasks = []string{"error", "error", "error", "error", "error", "error"}
			}
			assert.Equal(t, tasks, row[6:12], "%s: each task's status", sc.stack)
			passed := 0
			for _, st := range tasks {
				if st == "pass" {
					passed++
				}
			}
			assert.Equal(t, []string{strconv.Itoa(passed), "6"}, row[12:14], sc.stack)
		}
	})

	t.Run("html page in a browser", func(t *testing.T) {
		browser := needChromium(t)
		// The class file says mode: by-hand, so no --mode is needed (issue 16).
		body, err := os.ReadFile(classFile)
		require.NoError(t, err)
		handFile := filepath.Join(dir, "classes", "e2eh.yaml")
		require.NoError(t, os.WriteFile(handFile, []byte(strings.Replace(string(body), "name: e2e\n", "name: e2eh\nmode: by-hand\n", 1)), 0o644))
		page := filepath.Join(dir, "status.html")
		_, stderr, code := runLabctl(t, dir, "class", "status", handFile,
			"--endpoint-url", f.URL, "--format", "html", "--out", page)
		assert.Contains(t, stderr, "(by-hand, 8 at a time)", "the class file's mode")
		require.Equal(t, 2, code, stderr)
		html, err := os.ReadFile(page)
		require.NoError(t, err)
		// Self-contained: nothing is fetched from elsewhere.
		for _, external := range []string{" src=", " href=", "url(", "@import", "<link"} {
			assert.NotContains(t, string(html), external, "the page must not load %s", external)
		}

		tab := openTab(t, browser, "file://"+page, 1700, 1850)
		// What the browser shows per account: each tile's task states and
		// their colours, and the failures its row's details hold.
		type shownRow struct {
			Status  string
			Classes []string
			Colours []string
			Details string
		}
		var shown map[string]shownRow
		tab.eval(`(() => { const o = {}; for (const b of document.querySelectorAll("#overview .tile")) {
			const tr = document.querySelector('#grid tbody tr[data-stack="' + b.dataset.stack + '"]');
			o[b.dataset.stack] = {status: b.dataset.status, classes: [...b.querySelectorAll("i")].map(i => i.className),
				colours: [...b.querySelectorAll("i")].map(i => getComputedStyle(i).backgroundColor),
				details: tr.querySelector("details") ? tr.querySelector("details").textContent : ""}; } return o; })()`, &shown)
		assert.Len(t, shown, len(scs), "one tile per account")
		// The palette: green pass, red fail, amber unknown, grey for an
		// account that could not be checked.
		colour := map[string]string{"pass": "rgb(200, 230, 201)", "fail": "rgb(255, 205, 210)",
			"unknown": "rgb(255, 236, 179)", "error": "rgb(224, 224, 224)"}
		for _, sc := range scs {
			row := shown[sc.stack]
			if sc.unreachable {
				assert.Equal(t, "error", row.Status, sc.stack)
				for _, c := range row.Colours {
					assert.Equal(t, colour["error"], c, sc.stack)
				}
				assert.Contains(t, row.Details, "not checked: cannot assume role arn:aws:iam::"+sc.account, sc.stack)
				continue
			}
			require.Len(t, row.Classes, 6, sc.stack)
			for i, want := range sc.want {
				assert.Equal(t, want, row.Classes[i], "%s task %d", sc.stack, i+1)
				assert.Equal(t, colour[want], row.Colours[i], "%s task %d is shown %s", sc.stack, i+1, want)
				if detail, ok := sc.wantDetail[i+1]; ok {
					// The failure's detail is in the row's details.
					assert.Contains(t, row.Details, detail, "%s task %d", sc.stack, i+1)
				}
			}
		}
		var counts map[string]string
		tab.eval(`Object.fromEntries([...document.querySelectorAll('#totals tr[data-status="pass"] td')].map(td => [td.dataset.column, td.textContent]))`, &counts)
		for id, n := range wantPass {
			assert.Equal(t, strconv.Itoa(n), counts[id], "pass count of %s", id)
		}
		var meta string
		tab.eval(`document.getElementById("meta").innerHTML`, &meta)
		assert.Contains(t, meta, "1 of 7 accounts pass")
		assert.Regexp(t, `<time id="generated" datetime="`+regexp.QuoteMeta(time.Now().UTC().Format("2006-01-02")), meta, "the time of the run")

		if *screenshot != "" {
			runChromium(t, browser, "--screenshot="+*screenshot, "--window-size=1700,1850", "file://"+page)
			t.Logf("wrote %s", *screenshot)
		}
	})
}
