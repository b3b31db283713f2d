package labctlclass_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/class"
	"github.com/kms-lab/kms-lab/internal/labctl/class/page"
	"github.com/kms-lab/kms-lab/internal/labctl/class/status"
)

var pageScreenshot = flag.String("page-screenshot", "", "save a 1920x1080 screenshot of the 300-account class page to this PNG `file` (docs/class-page.png is made this way)")

// Failures as check reports them (internal/labctl/check: the detail is
// what was seen and expected, the hint and the cause key apart); the hints
// follow the lab guide's steps.
var (
	sseS3Failure = status.Failure{Check: "object.encryption", Status: status.StatusFail, Cause: "object.encryption=sse-s3",
		Detail: "AES256 (SSE-S3); expected aws:kms with alias/myFirstKey",
		Hint:   "the object is encrypted with SSE-S3; re-upload it choosing SSE-KMS and myFirstKey"}
	// S3 serves a public SSE-S3 image to anyone: task 4 fails for task 3's cause.
	anonFailure = status.Failure{Check: "object.anonymous-get", Status: status.StatusFail, Cause: "object.encryption=sse-s3",
		Detail: "HTTP 200: the object was served to an anonymous caller (70 bytes read); expected refused: HTTP 400",
		Hint:   "the image is already public, and S3 served it because it is encrypted with SSE-S3, not SSE-KMS; upload it again with SSE-KMS"}
	insightsFailure = status.Failure{Check: "trail.insight-selectors", Status: status.StatusFail, Cause: "trail.insight-selectors",
		Detail: "none; expected ApiCallRateInsight, ApiErrorRateInsight",
		Hint:   "edit the trail's Insights events: select API call rate and API error rate"}
	logsFailure = status.Failure{Check: "logs.key-activity", Status: status.StatusUnknown, Cause: "logs.key-activity",
		Detail: "no log file delivered since 2026-11-27T10:00:00Z yet; CloudTrail delivers about every 5 minutes: retry after 2026-11-27T10:10:00Z"}
)

// bigClass is a by-hand class of n accounts: every third uploaded the image
// with SSE-S3 (task 3 fails, and task 4 with it: S3 serves an SSE-S3 object
// made public to anyone), every seventh left Insights off (task 2), every
// tenth has no log files yet (tasks 5 and 6 unknown), and the last could not
// be reached.
func bigClass(n int) *status.Result {
	r := &status.Result{Class: "kms300", Mode: class.ByHand, GeneratedAt: time.Date(2026, 11, 27, 10, 45, 0, 0, time.UTC)}
	for t := 1; t <= 6; t++ {
		r.Columns = append(r.Columns, status.Column{ID: "task" + strconv.Itoa(t), Title: fmt.Sprintf("%d task", t)})
	}
	for i := 1; i <= n; i++ {
		row := status.Row{Stack: fmt.Sprintf("kms300-acct%03d", i), Account: fmt.Sprintf("4%011d", i), Region: "us-west-2"}
		if i == n {
			row.Error = "cannot assume role arn:aws:iam::" + row.Account + ":role/kms-lab-instructor: AccessDenied"
			r.Accounts = append(r.Accounts, row)
			continue
		}
		for t := 1; t <= 6; t++ {
			c := status.Cell{Column: "task" + strconv.Itoa(t), Status: status.StatusPass}
			switch {
			case t == 3 && i%3 == 0:
				c.Status = status.StatusFail
				c.Add(sseS3Failure)
			case t == 4 && i%3 == 0:
				c.Status = status.StatusFail
				c.Add(anonFailure)
			case t == 2 && i%7 == 0:
				c.Status = status.StatusFail
				c.Add(insightsFailure)
			case (t == 5 || t == 6) && i%10 == 0:
				c.Status = status.StatusUnknown
				c.Add(logsFailure)
			}
			row.Cells = append(row.Cells, c)
		}
		r.Accounts = append(r.Accounts, row)
	}
	r.Tally()
	return r
}

// TestClassPage300 opens the page of a 300-account class at 1920x1080 in
// headless Chromium and checks what an instructor reads on it (issue 16).
func TestClassPage300(t *testing.T) {
	browser := needChromium(t)
	const n = 300
	var buf bytes.Buffer
	require.NoError(t, page.WriteHTML(&buf, bigClass(n)))
	t.Logf("page for %d accounts: %d bytes", n, buf.Len())
	for _, external := range []string{" src=", " href=", "url(", "@import", "<link"} {
		assert.NotContains(t, buf.String(), external, "self-contained: the page must not load %s", external)
	}
	file := filepath.Join(t.TempDir(), "kms300.html")
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o644))
	tab := openTab(t, browser, "file://"+file, 1920, 1080)

	var box struct{ Top, Bottom, Height float64 }
	tab.eval(`(() => { const r = document.getElementById("overview").getBoundingClientRect(); return {top: r.top, bottom: r.bottom, height: r.height}; })()`, &box)
	t.Logf("overview at 1920x1080: top %.0f, height %.0f px", box.Top, box.Height)
	assert.LessOrEqual(t, box.Bottom, 1080.0, "the totals and the overview of %d accounts fit one 1920x1080 screen", n)

	var tiles []struct{ Stack, Label, Text string }
	tab.eval(`[...document.querySelectorAll("#overview .tile")].map(b => ({stack: b.dataset.stack, label: b.getAttribute("aria-label"), text: b.querySelector(".n").textContent}))`, &tiles)
	require.Len(t, tiles, n, "one tile per account")
	for i, tile := range tiles {
		stack := fmt.Sprintf("kms300-acct%03d", i+1)
		assert.Equal(t, stack, tile.Stack, "tiles in stack order")
		assert.Equal(t, fmt.Sprintf("acct%03d", i+1), tile.Text, "labelled with the stack's short name")
	}
	assert.Equal(t, "kms300-acct003 (400000000003): task 1 pass, task 2 pass, task 3 fail, task 4 fail, task 5 pass, task 6 pass", tiles[2].Label,
		"a screen reader reads each tile's task states")

	// Totals: 99 of the 299 reachable accounts are multiples of 3 (tasks
	// 3 and 4 fail), 42 of 7 (task 2), 29 of 10 (tasks 5, 6 unknown).
	var totals map[string]map[string]string
	tab.eval(`(() => { const o = {}; for (const tr of document.querySelectorAll("#totals tbody tr")) { const m = o[tr.dataset.status] = {};
		for (const td of tr.querySelectorAll("td")) m[td.dataset.column] = td.textContent; } return o; })()`, &totals)
	assert.Equal(t, map[string]string{"task1": "299", "task2": "257", "task3": "200", "task4": "200", "task5": "270", "task6": "270"}, totals["pass"])
	assert.Equal(t, map[string]string{"task1": "0", "task2": "42", "task3": "99", "task4": "99", "task5": "0", "task6": "0"}, totals["fail"])
	assert.Equal(t, map[string]string{"task1": "0", "task2": "0", "task3": "0", "task4": "0", "task5": "29", "task6": "29"}, totals["unknown"])
	var firstTop, overviewTop float64
	tab.eval(`document.getElementById("totals").getBoundingClientRect().top`, &firstTop)
	tab.eval(`document.getElementById("overview").getBoundingClientRect().top`, &overviewTop)
	assert.Less(t, firstTop, overviewTop, "totals first")

	var mistake struct{ Label, Count, Hint, Who string }
	tab.eval(`(() => { const li = document.querySelector('#causes li[data-cause="object.encryption=sse-s3"]'); return li && {label: li.querySelector("b").textContent,
		count: li.querySelector(".count").textContent, hint: li.querySelector(".det").textContent, who: li.querySelector("div.who").textContent}; })()`, &mistake)
	assert.Equal(t, "image encrypted with SSE-S3", mistake.Label)
	assert.Equal(t, "99", mistake.Count)
	assert.Equal(t, "Hint: the object is encrypted with SSE-S3; re-upload it choosing SSE-KMS and myFirstKey", mistake.Hint, "the hint, written once")
	assert.Contains(t, mistake.Who, "kms300-acct003, kms300-acct006")
	// Issue 22: the totals' heads and a mistake's task read "task 3", the
	// way the lab guide numbers its tasks, whatever the column's title.
	var heads []string
	tab.eval(`[...document.querySelectorAll("#totals thead th[data-column]")].map(th => th.textContent)`, &heads)
	assert.Equal(t, []string{"task 1", "task 2", "task 3", "task 4", "task 5", "task 6"}, heads)
	var mistakeText string
	tab.eval(`document.querySelector('#causes li[data-cause="object.encryption=sse-s3"]').textContent`, &mistakeText)
	assert.Contains(t, mistakeText, "99 accounts (task 3)")

	var hintCount int
	tab.eval(`document.body.innerText.split("re-upload it choosing SSE-KMS").length - 1`, &hintCount)
	assert.Equal(t, 1, hintCount, "the hint is not repeated per account until details are opened")

	var sticky string
	tab.eval(`getComputedStyle(document.querySelector("#grid thead th")).position`, &sticky)
	assert.Equal(t, "sticky", sticky, "the table's header stays in view")

	visible := `[...document.querySelectorAll("#grid tbody tr")].filter(tr => tr.offsetHeight > 0)`
	var before, after []string
	tab.eval(visible+`.map(tr => tr.dataset.status)`, &before)
	assert.Len(t, before, n)
	tab.eval(`document.getElementById("failing-only").click()`, nil)
	tab.eval(visible+`.map(tr => tr.dataset.status)`, &after)
	assert.NotContains(t, after, "pass", "failing only hides passing rows")
	// Not passing: every multiple of 3, 7 or 10 below 300, and the
	// unreachable account.
	want := 1
	for i := 1; i < n; i++ {
		if i%3 == 0 || i%7 == 0 || i%10 == 0 {
			want++
		}
	}
	assert.Len(t, after, want)

	if *pageScreenshot != "" {
		tab.eval(`document.getElementById("failing-only").click(); window.scrollTo(0, 0)`, nil)
		tab.screenshot(*pageScreenshot)
		t.Logf("wrote %s", *pageScreenshot)
	}
}

// TestClassPageRoster: with a roster, the page names each account's
// student wherever it names the stack (issue 22, "A roster"): the tile,
// its label, the table's row and a common mistake's accounts. Names hold
// a comma, quotes, non-ASCII letters and markup, which the page shows as
// text.
func TestClassPageRoster(t *testing.T) {
	browser := needChromium(t)
	r := bigClass(4)
	names := map[string]string{
		"kms300-acct001": "Okafor, Ada",
		"kms300-acct003": `Zoë "Zo" Ångström`,
		"kms300-acct004": "<b>Jo</b> & Łukasz",
	}
	for i := range r.Accounts {
		if n, ok := names[r.Accounts[i].Stack]; ok {
			r.Accounts[i].Student = &class.Student{Name: n}
		}
	}
	var buf bytes.Buffer
	require.NoError(t, page.WriteHTML(&buf, r))
	file := filepath.Join(t.TempDir(), "roster.html")
	require.NoError(t, os.WriteFile(file, buf.Bytes(), 0o644))
	tab := openTab(t, browser, "file://"+file, 1280, 800)

	var tiles []struct{ Stack, Label, Text string }
	tab.eval(`[...document.querySelectorAll("#overview .tile")].map(b => ({stack: b.dataset.stack, label: b.getAttribute("aria-label"), text: b.querySelector(".n").textContent}))`, &tiles)
	require.Len(t, tiles, 4)
	assert.Equal(t, "acct003 Zoë \"Zo\" Ångström", tiles[2].Text, "the tile shows the name beside the short stack")
	assert.Equal(t, "kms300-acct003 (Zoë \"Zo\" Ångström, 400000000003): task 1 pass, task 2 pass, task 3 fail, task 4 fail, task 5 pass, task 6 pass",
		tiles[2].Label)
	assert.Equal(t, "acct002", tiles[1].Text, "a stack the roster does not name shows no name")

	var rows []string
	tab.eval(`[...document.querySelectorAll("#grid tbody th")].map(th => th.innerText)`, &rows)
	assert.Equal(t, []string{"kms300-acct001\nOkafor, Ada", "kms300-acct002", "kms300-acct003\nZoë \"Zo\" Ångström", "kms300-acct004\n<b>Jo</b> & Łukasz"}, rows)

	var who string
	tab.eval(`document.querySelector('#causes li[data-cause="object.encryption=sse-s3"] div.who').textContent`, &who)
	assert.Equal(t, `kms300-acct003 (Zoë "Zo" Ångström)`, who)
}
