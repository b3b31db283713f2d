package labctlclass_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var screenshot = flag.String("screenshot", "", "also save a screenshot of the class status page to this PNG `file` (docs/class-status.png is made this way)")

// chromiumInstall is how CI gets a headless browser (Debian's package).
const chromiumInstall = "apt-get update && apt-get install -y chromium"

// needChromium finds a Chromium; without one the test fails with the
// install command, or is skipped in a -short run.
func needChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if testing.Short() {
		t.Skip("skipped in -short mode: needs a headless Chromium")
	}
	t.Fatalf("this test needs a headless Chromium and none is on PATH; install it with: %s\nor run `go test -short` to skip it", chromiumInstall)
	return ""
}

// runChromium runs a headless Chromium with a fresh profile and no
// network chatter of its own, and returns its stdout.
func runChromium(t *testing.T, browser string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--hide-scrollbars"}
	cmd := exec.CommandContext(ctx, browser, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "chromium: %s", stderr.String())
	return stdout.Bytes()
}

// probe is appended to a copy of the page: after layout it writes what the
// browser shows into attributes - each cell's computed background colour
// and whether it is laid out - so that --dump-dom carries them out.
const probe = `<script>
for (const el of document.querySelectorAll("td")) {
  const cs = getComputedStyle(el);
  el.setAttribute("data-bg", cs.backgroundColor);
  el.setAttribute("data-visible", String(el.offsetWidth > 0 && el.offsetHeight > 0 && cs.visibility === "visible"));
}
document.body.setAttribute("data-rows", String(document.querySelectorAll("#grid tbody tr").length));
</script>`

// renderedPage is what the browser showed.
type renderedPage struct {
	rows  int
	cells map[string]map[string]renderedCell // stack -> column -> cell
	dom   string
}

type renderedCell struct {
	status, bg string
	visible    bool
	text       string
}

var (
	rowRe   = regexp.MustCompile(`(?s)<tr data-stack="([^"]+)"[^>]*>(.*?)</tr>`)
	cellRe  = regexp.MustCompile(`(?s)<td class="cell (\w+)" (?:colspan="\d+" )?data-column="(\w+)" data-bg="([^"]+)" data-visible="(\w+)">(.*?)</td>`)
	tagRe   = regexp.MustCompile(`<[^>]+>`)
	rowsRe  = regexp.MustCompile(`<body data-rows="(\d+)"`)
	countRe = regexp.MustCompile(`<td class="count" data-column="(\w+)"[^>]*>([^<]+)</td>`)
)

// loadInBrowser opens page in Chromium and reads back what it rendered.
func loadInBrowser(t *testing.T, browser, page string) renderedPage {
	t.Helper()
	html, err := os.ReadFile(page)
	require.NoError(t, err)
	probed := filepath.Join(t.TempDir(), "probed.html")
	withProbe := strings.Replace(string(html), "</body>", probe+"\n</body>", 1)
	require.NoError(t, os.WriteFile(probed, []byte(withProbe), 0o644))
	dom := string(runChromium(t, browser, "--dump-dom", "file://"+probed))
	r := renderedPage{cells: map[string]map[string]renderedCell{}, dom: dom}
	if m := rowsRe.FindStringSubmatch(dom); m != nil {
		r.rows = atoi(m[1])
	}
	for _, row := range rowRe.FindAllStringSubmatch(dom, -1) {
		cells := map[string]renderedCell{}
		for _, c := range cellRe.FindAllStringSubmatch(row[2], -1) {
			cells[c[2]] = renderedCell{status: c[1], bg: c[3], visible: c[4] == "true",
				text: strings.Join(strings.Fields(tagRe.ReplaceAllString(c[5], " ")), " ")}
		}
		r.cells[row[1]] = cells
	}
	return r
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// counts returns the footer's "pass" text per column.
func (r renderedPage) counts() map[string]string {
	out := map[string]string{}
	for _, m := range countRe.FindAllStringSubmatch(r.dom, -1) {
		out[m[1]] = strings.TrimSpace(m[2])
	}
	return out
}
