package throttle_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// BenchmarkClassStatus20At30 is issue 17's figure: how many retries a
// 20-account `labctl class status --mode by-hand` makes when 30% of the
// requests are throttled, and its wall time, with labctl's own retry
// bounds (awsclient.DefaultRetry: 10 attempts, waits up to 8s) and its
// default --parallel 8. Every request the front throttles is one retry
// the SDK makes (none ran out of attempts: every account still passes),
// so retries/op is the front's throttle count, calls/op the requests it
// let through. "clear" is the same run without throttling.
//
//	go test ./tests/throttle -run '^$' -bench ClassStatus20 -benchtime 1x
func BenchmarkClassStatus20At30(b *testing.B) {
	moto := needMoto(b)
	labs := buildClass(b, moto.URL, 34, 20)
	useCredentials(b, instructorCredentials)
	classFile := writeClass(b, b.TempDir(), "figure", labs)

	for _, fraction := range []float64{0, atThirty} {
		name := "clear"
		if fraction > 0 {
			name = fmt.Sprintf("%.0f%%", fraction*100)
		}
		b.Run(name, func(b *testing.B) {
			var requests, throttled int
			byService := map[string]int{}
			for b.Loop() {
				m := newThrottledMoto(b, moto.URL, fraction, nil)
				got := runLabctl(b, awsclient.Retry{}, "class", "status", classFile, "--format", "json", "--endpoint-url", m.URL)
				if got.code != 0 {
					b.Fatalf("class status exited %d, want 0 (every account passes): %v\n%s\n%s", got.code, got.err, got.stdout, got.stderr)
				}
				v, _ := classVerdicts(b, got.stdout)
				if n := v.statuses()["pass"]; n != len(labs)*7 {
					b.Fatalf("%d of %d verdicts pass:\n%s", n, len(labs)*7, v)
				}
				c := m.throttle.Counts()
				requests += c.Requests
				throttled += c.Throttled
				for s, n := range c.ByService {
					byService[s] += n
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(throttled)/n, "retries/op")
			b.ReportMetric(float64(requests-throttled)/n, "calls/op")
			b.ReportMetric(float64(requests)/n, "requests/op")
			var services []string
			for s, k := range byService {
				services = append(services, fmt.Sprintf("%s %d", s, k))
			}
			sort.Strings(services)
			b.Logf("%d accounts, %d runs: %d requests, %d throttled (%s)", len(labs), b.N, requests, throttled, strings.Join(services, ", "))
		})
	}
}
