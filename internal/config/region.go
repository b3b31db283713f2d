package config

import "regexp"

// partitionRegions are the AWS partitions and the region names each holds,
// as the AWS SDK for Go v2 resolves them (its partitions.json, each
// partition's regionRegex). A name no partition holds is a typo or a made-up
// region: AWS would only answer it with a DNS failure, after retries.
var partitionRegions = []struct {
	partition string
	re        *regexp.Regexp
}{
	{"aws", regexp.MustCompile(`^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`)},
	{"aws-cn", regexp.MustCompile(`^cn\-\w+\-\d+$`)},
	{"aws-eusc", regexp.MustCompile(`^eusc\-(de)\-\w+\-\d+$`)},
	{"aws-iso", regexp.MustCompile(`^us\-iso\-\w+\-\d+$`)},
	{"aws-iso-b", regexp.MustCompile(`^us\-isob\-\w+\-\d+$`)},
	{"aws-iso-e", regexp.MustCompile(`^eu\-isoe\-\w+\-\d+$`)},
	{"aws-iso-f", regexp.MustCompile(`^us\-isof\-\w+\-\d+$`)},
	{"aws-us-gov", regexp.MustCompile(`^us\-gov\-\w+\-\d+$`)},
}

// RegionRule is what a region setting or flag must be, for messages.
const RegionRule = "must be an AWS region name such as us-west-2, of a known partition (aws, aws-cn, aws-us-gov, ...)"

// RegionPartition returns the partition that holds region, and false when
// no partition does.
func RegionPartition(region string) (string, bool) {
	for _, p := range partitionRegions {
		if p.re.MatchString(region) {
			return p.partition, true
		}
	}
	return "", false
}
