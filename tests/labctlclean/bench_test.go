package labctlclean_test

import (
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"
)

// BenchmarkClassClean is issue 15's figure: `class clean --yes` over 20
// moto accounts, each with a lab whose bucket holds 1,000 log files. The
// labs are built outside the timer; peak-rss-MB is the process's peak
// resident set (getrusage), which includes the test's own seeding, so it
// is an upper bound for class clean's. bench/class-clean.sh runs it.
func BenchmarkClassClean(b *testing.B) {
	moto := shared.Need(b)
	const nAccounts, nFiles = 20, 1000
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		accounts := make([]string, nAccounts)
		var wg sync.WaitGroup
		for a := range accounts {
			accounts[a] = fmt.Sprintf("7%05d%06d", i, a)
			wg.Go(func() { seedBenchLab(b, moto.URL, accounts[a], nFiles) })
		}
		wg.Wait()
		classFile := writeClass(b, b.TempDir(), fmt.Sprintf("bench%d", i), accounts)
		b.StartTimer()

		rep, stderr, code := runClassClean(b, moto.URL, classFile, "--yes", "--parallel", "8")
		require.Equal(b, 0, code, "class clean: %s", stderr)
		for _, row := range rep.Accounts {
			require.Equal(b, "clean", row.Status, "%s: %s", row.Stack, row.Error)
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-rss-MB") // Linux reports kilobytes
	}
}

// seedBenchLab builds a lab and puts n log files in its bucket, 16 at a
// time.
func seedBenchLab(b *testing.B, endpoint, account string, n int) {
	c := accountSDK(b, endpoint, account, region)
	l := buildLab(b, c)
	keys := make(chan int)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := range keys {
				key := fmt.Sprintf("AWSLogs/%s/CloudTrail/%s/2026/01/15/%s_CloudTrail_%s_20260115T1000Z_bench%05d.json.gz", account, region, account, region, i)
				_, err := c.S3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(l.Bucket), Key: aws.String(key), Body: stringsReader(`{"Records":[]}`)})
				if err != nil {
					b.Error(err)
				}
			}
		})
	}
	for i := range n - 5 { // buildLab put 5
		keys <- i
	}
	close(keys)
	wg.Wait()
}
