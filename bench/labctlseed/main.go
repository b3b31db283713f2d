// Command labctlseed fills an S3 emulator with a lab bucket of CloudTrail log
// files for labctl's benchmark: a KMS key, a bucket, and N gzipped log files
// of realistic records (mostly unrelated account activity, some of it the
// lab key's). It writes the stack outputs labctl reads and the key ID.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kms-lab/kms-lab/internal/testenv/cloudtrailtest"
)

const (
	account = "123456789012" // the emulator's account
	region  = "us-west-2"
)

type options struct {
	endpoint       string
	files          int
	recordsPerFile int
	outputs        string
	span           time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.endpoint, "endpoint-url", "", "S3/KMS emulator endpoint (required)")
	flag.IntVar(&o.files, "files", 2000, "log files to deliver")
	flag.IntVar(&o.recordsPerFile, "records", 50, "records per log file")
	flag.StringVar(&o.outputs, "outputs", "outputs.json", "where to write the stack outputs")
	flag.DurationVar(&o.span, "span", 40*time.Hour, "the files' delivery times span this long, ending now")
	flag.Parse()
	if o.endpoint == "" {
		fmt.Fprintln(os.Stderr, "labctlseed: --endpoint-url is required")
		os.Exit(2)
	}
	if err := seed(context.Background(), o); err != nil {
		fmt.Fprintln(os.Stderr, "labctlseed:", err)
		os.Exit(1)
	}
}

func seed(ctx context.Context, o options) error {
	cfg := aws.Config{Region: region, BaseEndpoint: aws.String(o.endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}
	s3c := s3.NewFromConfig(cfg, func(so *s3.Options) { so.UsePathStyle = true })
	kmsc := kms.NewFromConfig(cfg)

	key, err := kmsc.CreateKey(ctx, &kms.CreateKeyInput{KeyUsage: kmstypes.KeyUsageTypeEncryptDecrypt, Description: aws.String("KMS Key for S3 data")})
	if err != nil {
		return fmt.Errorf("creating the key: %w", err)
	}
	lab := cloudtrailtest.Lab{AccountID: account, Region: region, Partition: "aws", KeyID: aws.ToString(key.KeyMetadata.KeyId),
		Bucket: fmt.Sprintf("mycloudtrailbucket%026d", time.Now().UnixNano()), ObjectKey: "lab-image.png",
		UserName: "AWSLabsUser-bench", SourceIP: "198.51.100.23"}
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(lab.Bucket),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}}); err != nil {
		return fmt.Errorf("creating the bucket: %w", err)
	}

	end := time.Now().UTC()
	var raw, packed, keyRecords atomic.Int64
	jobs := make(chan int)
	errs := make(chan error, o.files)
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := range jobs {
				n, z, k, err := deliver(ctx, s3c, lab, o, end, i, uint64(w))
				if err != nil {
					errs <- err
					continue
				}
				raw.Add(n)
				packed.Add(z)
				keyRecords.Add(k)
			}
		})
	}
	for i := range o.files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	if err := writeOutputs(o.outputs, lab); err != nil {
		return err
	}
	fmt.Printf("keyId=%s\nbucket=%s\nfiles=%d\nrecords=%d\nkeyRecords=%d\nuncompressedBytes=%d\ngzippedBytes=%d\n",
		lab.KeyID, lab.Bucket, o.files, int64(o.files*o.recordsPerFile)+keyRecords.Load(), keyRecords.Load(), raw.Load(), packed.Load())
	return nil
}

// deliver writes log file i: recordsPerFile records of everyday activity,
// and in one file of ten also the lab's own KMS and S3 events.
func deliver(ctx context.Context, c *s3.Client, lab cloudtrailtest.Lab, o options, end time.Time, i int, stream uint64) (rawBytes, gzBytes, keyRecords int64, err error) {
	rng := rand.New(rand.NewPCG(uint64(i), stream))
	delivered := end.Add(-o.span + time.Duration(i)*o.span/time.Duration(o.files))
	records := make([]cloudtrailtest.Record, 0, o.recordsPerFile+3)
	for j := range o.recordsPerFile {
		at := delivered.Add(-5*time.Minute + time.Duration(j)*time.Second)
		records = append(records, lab.Noise(rng, at, cloudtrailtest.EventID(rng)))
	}
	if i%10 == 0 {
		at := delivered.Add(-3 * time.Minute)
		records = append(records,
			lab.GenerateDataKey(at, cloudtrailtest.EventID(rng)),
			lab.PutObject(at.Add(time.Second), cloudtrailtest.EventID(rng)),
			lab.Decrypt(at.Add(time.Minute), cloudtrailtest.EventID(rng)))
		keyRecords = 3
	}
	js, err := json.Marshal(map[string]any{"Records": records})
	if err != nil {
		return 0, 0, 0, err
	}
	data, err := cloudtrailtest.Gzip(records)
	if err != nil {
		return 0, 0, 0, err
	}
	key := cloudtrailtest.LogFileKey(account, region, delivered, rng)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(lab.Bucket), Key: aws.String(key), Body: bytes.NewReader(data)}); err != nil {
		return 0, 0, 0, fmt.Errorf("uploading %s: %w", key, err)
	}
	return int64(len(js)), int64(len(data)), keyRecords, nil
}

// writeOutputs writes what `pulumi stack output --json` would print for
// this lab; only the fields labctl events reads matter to the benchmark.
func writeOutputs(path string, lab cloudtrailtest.Lab) error {
	out := map[string]any{
		"accountId": account, "region": region, "partition": "aws",
		"keyId": lab.KeyID, "keyArn": lab.KeyARN(), "keyAlias": "alias/myFirstKey",
		"keyAdministrators": []string{}, "keyUsers": []string{}, "keyRotationEnabled": true,
		"bucketName": lab.Bucket, "objectOwnership": "BucketOwnerPreferred",
		"publicAccessBlock": map[string]bool{"blockPublicAcls": false, "ignorePublicAcls": false, "blockPublicPolicy": true, "restrictPublicBuckets": true},
		"bucketEncryption":  "AES256", "objectKey": lab.ObjectKey,
		"objectUrl":       fmt.Sprintf("https://%s.s3.%s.amazonaws.com/%s", lab.Bucket, region, lab.ObjectKey),
		"publicObjectAcl": true, "trailName": "myTrail", "trailArn": "arn:aws:cloudtrail:" + region + ":" + account + ":trail/myTrail",
		"dataEvents": true, "insightTypes": []string{"ApiCallRateInsight", "ApiErrorRateInsight"},
		"logPrefix": "AWSLogs/" + account + "/CloudTrail/" + region + "/",
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}
