package emulatorapply

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kms-lab/kms-lab/internal/plan"
)

// bucketInputs are the aws:s3/bucketV2:BucketV2 inputs the applier
// understands.
type bucketInputs struct {
	Bucket       string            `json:"bucket"`
	BucketPrefix string            `json:"bucketPrefix"`
	Tags         map[string]string `json:"tags"`
	// ForceDestroy only matters to destroy, which the applier never does.
	ForceDestroy bool `json:"forceDestroy"`
}

// createBucket makes CreateBucket (with the region's location constraint)
// and PutBucketTagging. A bucketPrefix gets 26 generated characters as the
// provider does (an 18-digit UTC timestamp and 8 hex digits; here random
// rather than a process counter, so parallel tests never collide).
func createBucket(ctx context.Context, a *applier, r plan.Resource, in *bucketInputs) (string, error) {
	name := in.Bucket
	if name == "" {
		if in.BucketPrefix == "" {
			return "", fmt.Errorf("neither bucket nor bucketPrefix is set")
		}
		suffix, err := generatedSuffix(time.Now())
		if err != nil {
			return "", err
		}
		name = in.BucketPrefix + suffix
	}
	input := &s3.CreateBucketInput{Bucket: aws.String(name)}
	// us-east-1 takes no location constraint (S3 API reference, CreateBucket).
	if region := a.target.Options.Region; region != "us-east-1" {
		input.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
	}
	if _, err := a.clients.s3.CreateBucket(ctx, input); err != nil {
		return "", fmt.Errorf("s3 CreateBucket %s: %w", name, err)
	}
	mock, err := a.mockOutputs(r.Type, r.Name, r.Inputs)
	if err != nil {
		return "", err
	}
	a.replace.add(mock["bucket"], name)
	if len(in.Tags) > 0 {
		if _, err := a.clients.s3.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(name),
			Tagging: &s3types.Tagging{TagSet: s3Tags(in.Tags)}}); err != nil {
			return "", fmt.Errorf("s3 PutBucketTagging %s: %w", name, err)
		}
	}
	return name, nil
}

// generatedSuffix is what the provider appends to a bucket prefix:
// YYYYMMDDhhmmss and four decimal digits of the second, then 8 hex digits.
func generatedSuffix(now time.Time) (string, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("bucket name suffix: %w", err)
	}
	stamp := strings.Replace(now.UTC().Format("20060102150405.0000"), ".", "", 1)
	return stamp + hex.EncodeToString(b[:]), nil
}

func s3Tags(tags map[string]string) []s3types.Tag {
	var out []s3types.Tag
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		out = append(out, s3types.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	return out
}

// bucketEncryptionInputs are the
// aws:s3/bucketServerSideEncryptionConfigurationV2 inputs.
type bucketEncryptionInputs struct {
	Bucket string `json:"bucket"`
	Rules  []struct {
		ApplyServerSideEncryptionByDefault *struct {
			SSEAlgorithm   string `json:"sseAlgorithm"`
			KMSMasterKeyID string `json:"kmsMasterKeyId"`
		} `json:"applyServerSideEncryptionByDefault"`
		BucketKeyEnabled *bool `json:"bucketKeyEnabled"`
	} `json:"rules"`
}

func putBucketEncryption(ctx context.Context, a *applier, _ plan.Resource, in *bucketEncryptionInputs) (string, error) {
	var rules []s3types.ServerSideEncryptionRule
	for _, r := range in.Rules {
		rule := s3types.ServerSideEncryptionRule{BucketKeyEnabled: r.BucketKeyEnabled}
		if d := r.ApplyServerSideEncryptionByDefault; d != nil {
			rule.ApplyServerSideEncryptionByDefault = &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryption(d.SSEAlgorithm)}
			if d.KMSMasterKeyID != "" {
				rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID = aws.String(d.KMSMasterKeyID)
			}
		}
		rules = append(rules, rule)
	}
	if _, err := a.clients.s3.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(in.Bucket),
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: rules}}); err != nil {
		return "", fmt.Errorf("s3 PutBucketEncryption %s: %w", in.Bucket, err)
	}
	return in.Bucket, nil
}

// ownershipInputs are the aws:s3/bucketOwnershipControls inputs.
type ownershipInputs struct {
	Bucket string `json:"bucket"`
	Rule   struct {
		ObjectOwnership string `json:"objectOwnership"`
	} `json:"rule"`
}

func putOwnershipControls(ctx context.Context, a *applier, _ plan.Resource, in *ownershipInputs) (string, error) {
	if _, err := a.clients.s3.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String(in.Bucket),
		OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnership(in.Rule.ObjectOwnership)}}}}); err != nil {
		return "", fmt.Errorf("s3 PutBucketOwnershipControls %s: %w", in.Bucket, err)
	}
	return in.Bucket, nil
}

// publicAccessBlockInputs are the aws:s3/bucketPublicAccessBlock inputs; an
// unset switch is false, as in the provider.
type publicAccessBlockInputs struct {
	Bucket                string `json:"bucket"`
	BlockPublicAcls       bool   `json:"blockPublicAcls"`
	BlockPublicPolicy     bool   `json:"blockPublicPolicy"`
	IgnorePublicAcls      bool   `json:"ignorePublicAcls"`
	RestrictPublicBuckets bool   `json:"restrictPublicBuckets"`
}

func putPublicAccessBlock(ctx context.Context, a *applier, _ plan.Resource, in *publicAccessBlockInputs) (string, error) {
	if _, err := a.clients.s3.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(in.Bucket),
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{
			BlockPublicAcls: aws.Bool(in.BlockPublicAcls), BlockPublicPolicy: aws.Bool(in.BlockPublicPolicy),
			IgnorePublicAcls: aws.Bool(in.IgnorePublicAcls), RestrictPublicBuckets: aws.Bool(in.RestrictPublicBuckets),
		}}); err != nil {
		return "", fmt.Errorf("s3 PutPublicAccessBlock %s: %w", in.Bucket, err)
	}
	return in.Bucket, nil
}

// bucketPolicyInputs are the aws:s3/bucketPolicy inputs.
type bucketPolicyInputs struct {
	Bucket string `json:"bucket"`
	Policy any    `json:"policy"`
}

func putBucketPolicy(ctx context.Context, a *applier, _ plan.Resource, in *bucketPolicyInputs) (string, error) {
	policy, err := policyJSON(in.Policy)
	if err != nil {
		return "", err
	}
	if _, err := a.clients.s3.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(in.Bucket), Policy: aws.String(policy)}); err != nil {
		return "", fmt.Errorf("s3 PutBucketPolicy %s: %w", in.Bucket, err)
	}
	return in.Bucket, nil
}

// objectInputs are the aws:s3/bucketObjectv2:BucketObjectv2 inputs.
type objectInputs struct {
	Bucket               string            `json:"bucket"`
	Key                  string            `json:"key"`
	Source               *assetInput       `json:"source"`
	ContentType          string            `json:"contentType"`
	ACL                  string            `json:"acl"`
	ServerSideEncryption string            `json:"serverSideEncryption"`
	KMSKeyID             string            `json:"kmsKeyId"`
	BucketKeyEnabled     *bool             `json:"bucketKeyEnabled"`
	Tags                 map[string]string `json:"tags"`
}

// assetInput is the plan's form of a file asset.
type assetInput struct {
	Asset struct {
		Path   string `json:"path"`
		SHA256 string `json:"sha256"`
	} `json:"asset"`
}

// putObject uploads the asset's bytes with PutObject, as the provider does,
// with the object's encryption, ACL and content type in the same request.
func putObject(ctx context.Context, a *applier, _ plan.Resource, in *objectInputs) (string, error) {
	if in.Source == nil || in.Source.Asset.Path == "" {
		return "", fmt.Errorf("source: want a file asset with a path")
	}
	path := filepath.Join(a.target.ProjectDir, filepath.FromSlash(in.Source.Asset.Path))
	body, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("source: %w", err)
	}
	sum := sha256.Sum256(body)
	if got := hex.EncodeToString(sum[:]); got != in.Source.Asset.SHA256 {
		return "", fmt.Errorf("source: %s has sha256 %s, the plan says %s", in.Source.Asset.Path, got, in.Source.Asset.SHA256)
	}
	input := &s3.PutObjectInput{
		Bucket: aws.String(in.Bucket), Key: aws.String(in.Key), Body: bytes.NewReader(body),
		ACL:                  s3types.ObjectCannedACL(in.ACL),
		ServerSideEncryption: s3types.ServerSideEncryption(in.ServerSideEncryption),
		BucketKeyEnabled:     in.BucketKeyEnabled,
	}
	if in.ContentType != "" {
		input.ContentType = aws.String(in.ContentType)
	}
	if in.KMSKeyID != "" {
		input.SSEKMSKeyId = aws.String(in.KMSKeyID)
	}
	if len(in.Tags) > 0 {
		// x-amz-tagging is in URL query form.
		var pairs []string
		for _, t := range s3Tags(in.Tags) {
			pairs = append(pairs, url.QueryEscape(*t.Key)+"="+url.QueryEscape(*t.Value))
		}
		input.Tagging = aws.String(strings.Join(pairs, "&"))
	}
	if _, err := a.clients.s3.PutObject(ctx, input); err != nil {
		return "", fmt.Errorf("s3 PutObject s3://%s/%s: %w", in.Bucket, in.Key, err)
	}
	return in.Bucket + "/" + in.Key, nil
}
