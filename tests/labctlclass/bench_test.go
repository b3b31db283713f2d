package labctlclass_test

import (
	"flag"
	"fmt"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var benchAccounts = flag.Int("class-bench", 0, "build this many complete hand-done labs in moto accounts and time `class status --mode by-hand` over them (bench/class-status.sh)")

// TestClassStatusBench measures class status over many accounts: wall
// time and the labctl process's peak RSS. It runs only when asked for with
// -class-bench N. The figures are moto's, on this machine: one Python
// process serves every account.
func TestClassStatusBench(t *testing.T) {
	if *benchAccounts == 0 {
		t.Skip("run with -class-bench N (bench/class-status.sh)")
	}
	moto := shared.moto.Need(t)
	f := newFront(t, moto.URL)
	var scs []scenario
	for i := range *benchAccounts {
		region := "us-west-2"
		if i%2 == 1 {
			region = "us-east-1"
		}
		scs = append(scs, scenario{stack: fmt.Sprintf("bench-%02d", i+1), account: fmt.Sprintf("3%011d", i+1), region: region})
	}
	buildStart := time.Now()
	buildClass(t, moto.URL, scs)
	t.Logf("built %d labs with seeded logs in %s", len(scs), time.Since(buildStart).Round(time.Millisecond))
	dir := t.TempDir()
	classFile := writeClass(t, dir, "bench", scs)

	for _, parallel := range []int{1, 8} {
		cmd := exec.Command(shared.binary, "class", "status", classFile, "--mode", "by-hand", "--endpoint-url", f.URL,
			"--format", "json", "--out", filepath.Join(dir, "status.json"), "--parallel", fmt.Sprint(parallel))
		cmd.Env = labctlEnv(dir)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		wall := time.Since(start)
		require.NoError(t, err, string(out))
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		// Linux reports ru_maxrss in KiB.
		t.Logf("class status --mode by-hand, %d accounts, --parallel %d: wall %.2fs, labctl peak RSS %.1f MiB, user+sys CPU %.2fs",
			len(scs), parallel, wall.Seconds(), float64(ru.Maxrss)/1024,
			time.Duration(ru.Utime.Nano()+ru.Stime.Nano()).Seconds())
	}
}
