package labctlclass_test

import (
	"bufio"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
)

// lockedBuffer collects a process's stderr while the test reads it.
type lockedBuffer struct {
	mu    sync.Mutex
	lines []string
}

func (b *lockedBuffer) add(l string) { b.mu.Lock(); b.lines = append(b.lines, l); b.mu.Unlock() }
func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}

var servingRe = regexp.MustCompile(`serving class \S+ on (http://\S+/)`)

// TestClassWatchByHand: while `labctl class watch` runs, a student fixes
// task 3 by uploading the image again with SSE-KMS and myFirstKey (lab
// guide, task 3), and the page open in the browser turns the cell green
// without a reload, within one sweep interval of the fix (plus the sweep
// itself and the page's poll). The class file says mode: by-hand.
func TestClassWatchByHand(t *testing.T) {
	browser := needChromium(t)
	moto := shared.Need(t)
	f := newFront(t, moto.URL)
	scs := []scenario{
		{stack: "w-complete", account: "510000000001", region: "us-west-2"},
		{stack: "w-sse-s3", account: "520000000002", region: "us-west-2", broken: handlab.Breakage{ImageSSES3: true}},
	}
	rng := rand.New(rand.NewPCG(3, 5))
	labs := map[string]*handlab.Lab{}
	for _, sc := range scs {
		l := handlab.Build(t, accountClients(t, moto.URL, sc.account, sc.region), handlab.Options{Break: sc.broken})
		now := time.Now().UTC()
		l.DeliverLog(t, l.Records(now, rng), now, rng)
		labs[sc.stack] = l
	}
	dir := t.TempDir()
	classFile := writeClass(t, dir, "w", scs)
	body, err := os.ReadFile(classFile)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(classFile, []byte(strings.Replace(string(body), "enabled: true\n", "enabled: true\nmode: by-hand\n", 1)), 0o644))

	t.Run("non-loopback listen without a token is refused", func(t *testing.T) {
		_, stderr, code := runLabctl(t, dir, "class", "watch", classFile, "--listen", "0.0.0.0:0")
		assert.Equal(t, 2, code)
		assert.Contains(t, stderr, `--listen "0.0.0.0:0" is not a loopback address and --token is not set`)
	})

	const every = 3 * time.Second
	cmd := exec.Command(shared.Binary(labctlCmd), "class", "watch", classFile, "--listen", "127.0.0.1:0",
		"--every", every.String(), "--parallel", "2", "--endpoint-url", f.URL)
	cmd.Env = labctlEnv(dir)
	pipe, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	var stderr lockedBuffer
	url := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			stderr.add(sc.Text())
			if m := servingRe.FindStringSubmatch(sc.Text()); m != nil {
				url <- m[1]
			}
		}
	}()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	var page string
	select {
	case page = <-url:
	case <-time.After(30 * time.Second):
		t.Fatalf("labctl class watch did not start serving: %s", stderr.String())
	}

	tab := openTab(t, browser, page, 1600, 900)
	task3 := `(document.querySelector('#overview .tile[data-stack="w-sse-s3"] i[data-column="task3"]') || {}).className`
	require.True(t, tab.waitFor(task3+` === "fail"`, 60*time.Second), "the first sweep shows task 3 failing: %s", stderr.String())
	var tileLabel string
	tab.eval(`document.querySelector('#overview .tile[data-stack="w-sse-s3"]').getAttribute("aria-label")`, &tileLabel)
	assert.Contains(t, tileLabel, "task 3 fail")
	tab.eval(`window.notReloaded = true`, nil)

	// The student uploads the image again, "Override bucket settings for
	// default encryption", SSE-KMS, myFirstKey (lab guide, task 3).
	labs["w-sse-s3"].UploadImage(t, s3types.ServerSideEncryptionAwsKms)
	fixed := time.Now()
	// The next sweep starts at most one interval after the fix; a sweep of
	// two moto accounts and the page's poll take a few seconds more.
	assert.True(t, tab.waitFor(task3+` === "pass"`, every+15*time.Second), "task 3 turned green without a reload: %s", stderr.String())
	t.Logf("the cell turned green %.1fs after the fix (--every %s)", time.Since(fixed).Seconds(), every)
	var same bool
	tab.eval(`window.notReloaded === true`, &same)
	assert.True(t, same, "the page updated in place, not by a reload")
	var checked string
	tab.eval(`document.querySelector('#grid tbody tr[data-stack="w-sse-s3"]').textContent`, &checked)
	assert.Regexp(t, `\d\d:\d\d:\d\d`, checked, "the row shows when the account was last checked")

	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	select {
	case err := <-exited:
		assert.NoError(t, err, "SIGINT stops it cleanly: %s", stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("SIGINT did not stop labctl class watch: %s", stderr.String())
	}
	out := stderr.String()
	assert.Regexp(t, `sweep 1: checking 2 accounts of class w \(by-hand, 2 at a time\)`, out, "progress on stderr")
	assert.Regexp(t, `\[\d/2\] w-sse-s3 520000000002: \d/6 pass \(\d+\.\ds\)`, out)
	assert.Contains(t, out, "stopped after")
}
