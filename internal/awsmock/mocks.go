package awsmock

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Mocks implements pulumi.MockResourceMonitor for the lab's resources.
type Mocks struct {
	Env Env
	// Recorder, when set, receives every registration.
	Recorder *Recorder
}

var _ pulumi.MockResourceMonitor = (*Mocks)(nil)

// Call answers the data sources the program reads.
func (m *Mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	e := m.Env
	if m.Recorder != nil {
		m.Recorder.recordCall(args.Token)
	}
	switch args.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": e.AccountID,
			"arn":       e.caller(),
			"id":        e.AccountID,
			"userId":    "AIDA" + strings.ToUpper(hash("user", e.caller())[:16]),
		}), nil
	case "aws:index/getPartition:getPartition":
		p := partitions[e.Partition]
		return resource.NewPropertyMapFromMap(map[string]any{
			"id":               e.Partition,
			"partition":        e.Partition,
			"dnsSuffix":        p.dnsSuffix,
			"reverseDnsPrefix": p.reverseDNS,
		}), nil
	case "aws:index/getRegion:getRegion":
		return resource.NewPropertyMapFromMap(map[string]any{
			"id":          e.Region,
			"name":        e.Region,
			"description": e.Region,
			"endpoint":    fmt.Sprintf("ec2.%s.%s", e.Region, e.dnsSuffix()),
		}), nil
	case "aws:iam/getSessionContext:getSessionContext":
		arn := args.Args["arn"]
		if !arn.IsString() {
			return nil, fmt.Errorf("awsmock: getSessionContext needs an arn argument, got %v", arn)
		}
		issuer, name, session := e.sessionContext(arn.StringValue())
		return resource.NewPropertyMapFromMap(map[string]any{
			"arn":         arn.StringValue(),
			"id":          arn.StringValue(),
			"issuerArn":   issuer,
			"issuerId":    "AROA" + strings.ToUpper(hash("role", issuer)[:16]),
			"issuerName":  name,
			"sessionName": session,
		}), nil
	}
	return nil, fmt.Errorf("awsmock: unknown call token %q: add it to the mocks before the program uses it", args.Token)
}

// NewResource computes what the provider would return for each resource type.
func (m *Mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	if m.Recorder != nil {
		if err := m.Recorder.record(args); err != nil {
			return "", nil, err
		}
	}
	e := m.Env
	in := args.Inputs
	out := in.Copy()
	set := func(k string, v any) { out[resource.PropertyKey(k)] = resource.NewPropertyValue(v) }
	str := func(k string) string {
		if v, ok := in[resource.PropertyKey(k)]; ok && v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	arnPrefix := func(service string) string {
		return fmt.Sprintf("arn:%s:%s:%s:%s:", e.Partition, service, e.Region, e.AccountID)
	}

	switch args.TypeToken {
	case "aws:kms/key:Key":
		keyID := uuidFrom("kms-key", e.AccountID, e.Region, args.Name)
		set("keyId", keyID)
		set("arn", arnPrefix("kms")+"key/"+keyID)
		setDefault(out, "keyUsage", "ENCRYPT_DECRYPT")
		setDefault(out, "customerMasterKeySpec", "SYMMETRIC_DEFAULT")
		setDefault(out, "isEnabled", true)
		return keyID, out, nil
	case "aws:kms/alias:Alias":
		name := str("name")
		target := str("targetKeyId")
		set("arn", arnPrefix("kms")+name)
		set("targetKeyArn", arnPrefix("kms")+"key/"+target)
		return name, out, nil
	case "aws:s3/bucketV2:BucketV2":
		bucket := str("bucket")
		if bucket == "" {
			prefix := str("bucketPrefix")
			if prefix == "" {
				return "", nil, fmt.Errorf("awsmock: bucket %s has neither bucket nor bucketPrefix", args.Name)
			}
			bucket = prefix + generatedSuffix("bucket", e.AccountID, e.Region, args.Name, prefix)
		}
		set("bucket", bucket)
		set("arn", fmt.Sprintf("arn:%s:s3:::%s", e.Partition, bucket))
		set("region", e.Region)
		set("bucketDomainName", fmt.Sprintf("%s.s3.%s", bucket, e.dnsSuffix()))
		set("bucketRegionalDomainName", fmt.Sprintf("%s.s3.%s.%s", bucket, e.Region, e.dnsSuffix()))
		return bucket, out, nil
	case "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls",
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
		"aws:s3/bucketPolicy:BucketPolicy":
		bucket := str("bucket")
		if bucket == "" {
			return "", nil, fmt.Errorf("awsmock: %s %s has no bucket", args.TypeToken, args.Name)
		}
		return bucket, out, nil
	case "aws:s3/bucketObjectv2:BucketObjectv2":
		bucket, key := str("bucket"), str("key")
		if bucket == "" || key == "" {
			return "", nil, fmt.Errorf("awsmock: object %s needs bucket and key", args.Name)
		}
		set("arn", fmt.Sprintf("arn:%s:s3:::%s/%s", e.Partition, bucket, key))
		set("etag", hash("etag", bucket, key)[:32])
		set("versionId", "")
		return bucket + "/" + key, out, nil
	case "aws:cloudtrail/trail:Trail":
		arn := arnPrefix("cloudtrail") + "trail/" + str("name")
		set("arn", arn)
		set("homeRegion", e.Region)
		return arn, out, nil
	case "pulumi:providers:aws":
		return "provider-" + args.Name, out, nil
	}
	if !args.Custom && strings.HasPrefix(args.TypeToken, "kms-lab:") {
		return "", out, nil // component resources have no provider state
	}
	return "", nil, fmt.Errorf("awsmock: unknown resource type %q (%s): add it to the mocks before the program uses it", args.TypeToken, args.Name)
}

func setDefault(m resource.PropertyMap, k string, v any) {
	if _, ok := m[resource.PropertyKey(k)]; !ok {
		m[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
	}
}

func hash(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:])
}

// uuidFrom derives a version-4-shaped UUID, the form of a KMS key ID.
func uuidFrom(parts ...string) string {
	h := hash(parts...)
	return fmt.Sprintf("%s-%s-4%s-a%s-%s", h[0:8], h[8:12], h[13:16], h[17:20], h[20:32])
}

// generatedSuffix derives what the provider appends to a bucket prefix: an
// 18-digit UTC timestamp (to 1/10000 s) and an 8-hex-digit counter.
func generatedSuffix(parts ...string) string {
	v := new(big.Int)
	v.SetString(hash(parts...), 16)
	digits := v.String()
	return digits[len(digits)-18:] + hash(append(parts, "counter")...)[:8]
}
