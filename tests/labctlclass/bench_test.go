package labctlclass_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/awswire"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

var benchAccounts = flag.Int("bench-accounts", 20, "lab accounts in the class status and watch benchmarks' class")

// calls counts the AWS API calls that pass the front, by service and
// operation. It only looks: every request goes on to moto.
type calls struct {
	mu sync.Mutex
	n  map[string]int
}

// S3 names an operation by method and subresource: GET ?acl is
// GetObjectAcl or GetBucketAcl, GET with neither on an object key...
var s3SubRe = regexp.MustCompile(`^[a-z-]+$`)

func (c *calls) count(_ http.ResponseWriter, r *http.Request) bool {
	service := awswire.ScopeOf(r).Service
	if service == "" {
		service = "unsigned"
	}
	op := r.Header.Get("X-Amz-Target")
	if _, after, ok := strings.Cut(op, "."); ok {
		op = after
	}
	switch {
	case op != "":
	case service == "sts" || service == "iam":
		op = "query"
		if strings.Contains(r.URL.RawQuery, "Action=") {
			op = r.URL.Query().Get("Action")
		}
	default:
		var subs []string
		for k := range r.URL.Query() {
			if s3SubRe.MatchString(k) {
				subs = append(subs, k)
			}
		}
		sort.Strings(subs)
		op = r.Method + " " + strings.Join(subs, "&")
	}
	c.mu.Lock()
	c.n[service+" "+strings.TrimSpace(op)]++
	c.mu.Unlock()
	return false
}

func (c *calls) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var keys []string
	for k := range c.n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%6d  %s\n", c.n[k], k)
	}
	return b.String()
}

func (c *calls) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.n {
		n += v
	}
	return n
}

// benchClass builds -bench-accounts complete hand-done labs, each in its
// own moto account with seeded log files, behind a front that counts the
// API calls.
func benchClass(b *testing.B) (classFile, dir string, f *front, counted *calls) {
	moto := shared.Need(b)
	counted = &calls{n: map[string]int{}}
	f = &front{refuseRoles: map[string]bool{}}
	// The count comes first and answers nothing, so every call is seen.
	f.Front = mototest.NewFront(b, moto.URL, counted.count, f.lookupEvents, f.refuseAssumeRole)
	var scs []scenario
	for i := range *benchAccounts {
		region := "us-west-2"
		if i%2 == 1 {
			region = "us-east-1"
		}
		scs = append(scs, scenario{stack: fmt.Sprintf("bench-%03d", i+1), account: fmt.Sprintf("3%011d", i+1), region: region})
	}
	start := time.Now()
	buildClass(b, moto.URL, scs)
	b.Logf("built %d labs on moto in %s", len(scs), time.Since(start).Round(time.Second))
	dir = b.TempDir()
	return writeClass(b, dir, "bench", scs), dir, f, counted
}

// BenchmarkClassStatus times `labctl class status --mode by-hand` over a
// class of -bench-accounts complete hand-done labs (default 20), at
// --parallel 1 and 8 (issue 16: wall time, peak memory and page size for
// 300 accounts). Besides ns/op it reports the labctl process's peak RSS
// (MiB), CPU seconds, the HTML page's size and the AWS API calls one
// account's check makes. The figures are moto's, on this machine: one
// Python process serves every account.
//
//	go test ./tests/labctlclass -run '^$' -bench ClassStatus -benchtime 3x -bench-accounts 300
func BenchmarkClassStatus(b *testing.B) {
	classFile, dir, f, counted := benchClass(b)
	for _, parallel := range []int{1, 8} {
		b.Run(fmt.Sprintf("accounts=%d/parallel=%d", *benchAccounts, parallel), func(b *testing.B) {
			var peakKiB int64
			var cpu time.Duration
			runs := 0
			before := counted.total()
			for b.Loop() {
				page := filepath.Join(dir, "status.html")
				cmd := exec.Command(shared.Binary(labctlCmd), "class", "status", classFile, "--mode", "by-hand", "--endpoint-url", f.URL,
					"--format", "html", "--out", page, "--parallel", strconv.Itoa(parallel))
				cmd.Env = labctlEnv(dir)
				out, err := cmd.CombinedOutput()
				require.NoError(b, err, string(out))
				ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
				peakKiB = max(peakKiB, ru.Maxrss) // Linux reports ru_maxrss in KiB
				cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
				st, err := os.Stat(page)
				require.NoError(b, err)
				b.ReportMetric(float64(st.Size())/1024, "page-KiB")
				runs++
			}
			b.ReportMetric(float64(peakKiB)/1024, "peak-RSS-MiB")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
			b.ReportMetric(float64(counted.total()-before)/float64(runs**benchAccounts), "api-calls/account")
		})
	}
	b.Logf("AWS API calls of every run, by service and operation:\n%s", counted)
}

// BenchmarkClassWatch runs `labctl class watch --every 1s` over the same
// class until it has swept 30 times, and reports the process's memory then
// (VmRSS, and VmHWM, its peak) and the seconds one sweep took (issue 16:
// watch mode's memory after 30 sweeps).
//
//	go test ./tests/labctlclass -run '^$' -bench ClassWatch -benchtime 1x -bench-accounts 300
func BenchmarkClassWatch(b *testing.B) {
	const sweeps = 30
	classFile, dir, f, _ := benchClass(b)
	for b.Loop() {
		cmd := exec.Command(shared.Binary(labctlCmd), "class", "watch", classFile, "--mode", "by-hand", "--endpoint-url", f.URL,
			"--listen", "127.0.0.1:0", "--every", "1s", "--parallel", "8")
		cmd.Env = labctlEnv(dir)
		stderr, err := cmd.StderrPipe()
		require.NoError(b, err)
		require.NoError(b, cmd.Start())
		var url string
		buf := make([]byte, 4096)
		for url == "" {
			n, err := stderr.Read(buf)
			require.NoError(b, err)
			if m := servingRe.FindSubmatch(buf[:n]); m != nil {
				url = string(m[1])
			}
		}
		go func() { _, _ = io.Copy(io.Discard, stderr) }()
		start := time.Now()
		for {
			var st struct {
				Watch struct {
					Sweeps int `json:"sweeps"`
				} `json:"watch"`
			}
			resp, err := http.Get(url + "status.json")
			require.NoError(b, err)
			require.NoError(b, json.NewDecoder(resp.Body).Decode(&st))
			_ = resp.Body.Close()
			if st.Watch.Sweeps >= sweeps {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
		elapsed := time.Since(start)
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
		require.NoError(b, err)
		b.ReportMetric(procKiB(status, "VmRSS")/1024, "RSS-MiB")
		b.ReportMetric(procKiB(status, "VmHWM")/1024, "peak-RSS-MiB")
		b.ReportMetric(elapsed.Seconds()/sweeps, "s/sweep")
		require.NoError(b, cmd.Process.Signal(syscall.SIGTERM))
		require.NoError(b, cmd.Wait())
	}
}

func procKiB(status []byte, field string) float64 {
	m := regexp.MustCompile(`(?m)^` + field + `:\s+(\d+) kB`).FindSubmatch(status)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(string(m[1]), 64)
	return v
}
