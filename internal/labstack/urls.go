package labstack

import "fmt"

// consoleHost is the AWS Management Console's host in each partition.
func consoleHost(partition string) string {
	switch partition {
	case "aws-cn":
		return "console.amazonaws.cn"
	case "aws-us-gov":
		return "console.amazonaws-us-gov.com"
	default:
		return "console.aws.amazon.com"
	}
}

// objectURL is the virtual-hosted HTTPS URL the console's "Copy URL" gives
// (lab task 4). Object keys are validated to S3's safe characters, so the key
// needs no escaping.
func objectURL(bucket, region, dnsSuffix, key string) string {
	return fmt.Sprintf("https://%s.s3.%s.%s/%s", bucket, region, dnsSuffix, key)
}

// logPrefix is where a trail's log files for one region land (lab task 5).
func logPrefix(accountID, region string) string {
	return fmt.Sprintf("AWSLogs/%s/CloudTrail/%s/", accountID, region)
}

// consoleURLs are the pages a student opens during the lab.
func consoleURLs(partition, region, keyID, bucket, objectKey, trailARN, accountID string) map[string]string {
	base := "https://" + consoleHost(partition)
	return map[string]string{
		"key":    fmt.Sprintf("%s/kms/home?region=%s#/kms/keys/%s", base, region, keyID),
		"bucket": fmt.Sprintf("%s/s3/buckets/%s?region=%s&tab=objects", base, bucket, region),
		"object": fmt.Sprintf("%s/s3/object/%s?region=%s&prefix=%s", base, bucket, region, objectKey),
		"trail":  fmt.Sprintf("%s/cloudtrail/home?region=%s#/trails/%s", base, region, trailARN),
		"logs":   fmt.Sprintf("%s/s3/buckets/%s?region=%s&prefix=%s", base, bucket, region, logPrefix(accountID, region)),
	}
}
