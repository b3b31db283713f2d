package labctlclass_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
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
		"--user-data-dir=" + profileDir(t), "--hide-scrollbars"}
	cmd := exec.CommandContext(ctx, browser, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "chromium: %s", stderr.String())
	return stdout.Bytes()
}

// profileDir is a fresh Chromium profile directory. Not t.TempDir: Chromium's
// helper processes can still be writing to the profile for a moment after
// the browser process has exited, and t.TempDir's cleanup then fails the
// test with "directory not empty". This one is removed with retries, and a
// leftover is only logged.
func profileDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "labctlclass-chromium-")
	require.NoError(t, err)
	t.Cleanup(func() {
		var err error
		for range 50 {
			if err = os.RemoveAll(dir); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("chromium profile %s left behind: %v", dir, err)
	})
	return dir
}
