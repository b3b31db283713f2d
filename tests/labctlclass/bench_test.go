package labctlclass_test

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// BenchmarkClassStatus times `labctl class status --mode by-hand` over a
// class of 20 complete hand-done labs, each in its own moto account with
// seeded log files, at --parallel 1 and 8 (issue: the wall time and peak
// memory of class status for 20 accounts). Besides ns/op it reports the
// labctl process's peak RSS (MiB) and CPU seconds. The figures are moto's,
// on this machine: one Python process serves every account.
//
//	go test ./tests/labctlclass -run '^$' -bench ClassStatus -benchtime 3x
func BenchmarkClassStatus(b *testing.B) {
	const accounts = 20
	moto := shared.Need(b)
	f := newFront(b, moto.URL)
	var scs []scenario
	for i := range accounts {
		region := "us-west-2"
		if i%2 == 1 {
			region = "us-east-1"
		}
		scs = append(scs, scenario{stack: fmt.Sprintf("bench-%02d", i+1), account: fmt.Sprintf("3%011d", i+1), region: region})
	}
	buildClass(b, moto.URL, scs)
	dir := b.TempDir()
	classFile := writeClass(b, dir, "bench", scs)

	for _, parallel := range []int{1, 8} {
		b.Run(fmt.Sprintf("accounts=%d/parallel=%d", accounts, parallel), func(b *testing.B) {
			var peakKiB int64
			var cpu time.Duration
			for b.Loop() {
				cmd := exec.Command(shared.Binary(labctlCmd), "class", "status", classFile, "--mode", "by-hand", "--endpoint-url", f.URL,
					"--format", "json", "--out", filepath.Join(dir, "status.json"), "--parallel", fmt.Sprint(parallel))
				cmd.Env = labctlEnv(dir)
				out, err := cmd.CombinedOutput()
				require.NoError(b, err, string(out))
				ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
				peakKiB = max(peakKiB, ru.Maxrss) // Linux reports ru_maxrss in KiB
				cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
			}
			b.ReportMetric(float64(peakKiB)/1024, "peak-RSS-MiB")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}
