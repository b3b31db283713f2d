package tests

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/plan"
)

// Tests at every edge (issue 17): every documented limit at the limit and
// one past it, through the stack configuration's loader, and every
// setting's non-default value by its effect on the plan.

// edgePNG is a 1x1 PNG (the PNG signature and IHDR, IDAT, IEND chunks).
var edgePNG = []byte{
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
	0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
	0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
	0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
}

// edgeImage writes a PNG of exactly size bytes (the 1x1 PNG, then zero
// bytes after IEND, which readers ignore).
func edgeImage(t *testing.T, size int) string {
	t.Helper()
	b := make([]byte, size)
	copy(b, edgePNG)
	p := filepath.Join(t.TempDir(), "edge.png")
	require.NoError(t, os.WriteFile(p, b, 0o644))
	return p
}

func edgeTags(n int) string {
	var parts []string
	for i := range n {
		parts = append(parts, fmt.Sprintf(`"team%02d":"x"`, i))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func TestEdgeLimits(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name    string
		setting string // without the kms-lab: namespace
		value   string
		image   int // bytes of an image to write and point imagePath at; 0 for none
		// problem is a word of the rule the loader must name; "" means the
		// value is accepted.
		problem string
	}{
		// KMS ScheduleKeyDeletion: "PendingWindowInDays ... Valid Range:
		// Minimum value of 7. Maximum value of 30." (AWS KMS API Reference).
		{"deletion window 7", config.KeyDeletionWindowDays, "7", 0, ""},
		{"deletion window 6", config.KeyDeletionWindowDays, "6", 0, "between 7 and 30"},
		{"deletion window 30", config.KeyDeletionWindowDays, "30", 0, ""},
		{"deletion window 31", config.KeyDeletionWindowDays, "31", 0, "between 7 and 30"},
		// KMS CreateKey: "Description ... Length Constraints: Minimum length
		// of 0. Maximum length of 8192." (AWS KMS API Reference).
		{"description 8192", config.KeyDescription, strings.Repeat("d", 8192), 0, ""},
		{"description 8193", config.KeyDescription, strings.Repeat("d", 8193), 0, "at most 8192 characters"},
		// KMS CreateAlias: "AliasName ... Maximum length of 256" including
		// the alias/ prefix (AWS KMS API Reference): 250 after it.
		{"alias 250", config.KeyAlias, strings.Repeat("a", 250), 0, ""},
		{"alias 251", config.KeyAlias, strings.Repeat("a", 251), 0, "250"},
		// S3 bucket names are 3-63 characters (Amazon S3 User Guide, "General
		// purpose bucket naming rules"); the provider appends 26 characters
		// to a prefix (terraform-provider-aws id.PrefixedUniqueId), so 37.
		{"bucket prefix 37", config.BucketNamePrefix, strings.Repeat("b", 37), 0, ""},
		{"bucket prefix 38", config.BucketNamePrefix, strings.Repeat("b", 38), 0, "37"},
		{"bucket name 63", config.BucketName, strings.Repeat("c", 63), 0, ""},
		{"bucket name 64", config.BucketName, strings.Repeat("c", 64), 0, "63"},
		// CloudTrail CreateTrail: names are 3-128 characters (AWS CloudTrail
		// API Reference, CreateTrail, Name).
		{"trail name 128", config.TrailName, strings.Repeat("t", 128), 0, ""},
		{"trail name 129", config.TrailName, strings.Repeat("t", 129), 0, "128"},
		{"trail name 3", config.TrailName, "ttt", 0, ""},
		{"trail name 2", config.TrailName, "tt", 0, "3"},
		// S3 object keys: "up to 1,024 bytes long" (Amazon S3 User Guide,
		// "Naming Amazon S3 objects").
		{"object key 1024 bytes", config.ObjectKey, strings.Repeat("k", 1024), 0, ""},
		{"object key 1025 bytes", config.ObjectKey, strings.Repeat("k", 1025), 0, "1024"},
		// 50 tags per KMS key, S3 bucket and CloudTrail trail (AWS KMS
		// Developer Guide "Tagging keys", Amazon S3 User Guide "Using cost
		// allocation S3 bucket tags", CloudTrail API Reference AddTags);
		// kms-lab:stack is the 50th, so 49 are left for the stack.
		{"49 tags", config.Tags, edgeTags(49), 0, ""},
		{"50 tags", config.Tags, edgeTags(50), 0, "49"},
		// Tag keys of 1-128 and values of 0-256 Unicode characters (the same
		// pages).
		{"tag key 128", config.Tags, `{"` + strings.Repeat("k", 128) + `":"v"}`, 0, ""},
		{"tag key 129", config.Tags, `{"` + strings.Repeat("k", 129) + `":"v"}`, 0, "128"},
		{"tag value 256", config.Tags, `{"k":"` + strings.Repeat("v", 256) + `"}`, 0, ""},
		{"tag value 257", config.Tags, `{"k":"` + strings.Repeat("v", 257) + `"}`, 0, "256"},
		// The project's own limit on the image (docs/configuration.md,
		// imagePath: "at most 10 MiB").
		{"image 10 MiB", config.ImagePath, "", 10 * mib, ""},
		{"image 10 MiB and a byte", config.ImagePath, "", 10*mib + 1, "at most 10485760 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			value := tt.value
			if tt.image > 0 {
				value = edgeImage(t, tt.image)
			}
			values := map[string]string{config.Namespace + ":" + tt.setting: value}
			lookup := func(k string) (string, bool) { v, ok := values[k]; return v, ok }
			_, err := config.Load(lookup, projectDir, config.Target{Partition: "aws", Deployer: "arn:aws:iam::111122223333:role/kms-lab-deployer"})
			if tt.problem == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			var errs *config.Errors
			require.True(t, errors.As(err, &errs), "%T", err)
			require.Len(t, errs.Problems, 1, err.Error())
			assert.Equal(t, tt.setting, errs.Problems[0].Key)
			assert.Contains(t, errs.Problems[0].Rule, tt.problem)
		})
	}
}

// TestEdgeChunkSize: GitHub Actions "A job matrix can generate a maximum of
// 256 jobs per workflow run" (docs.github.com, "Actions limits"), so a
// chunk holds 1-256 stacks and there are at most 256 chunks.
func TestEdgeChunkSize(t *testing.T) {
	entries := func(n int) []classes.Entry {
		out := make([]classes.Entry, n)
		for i := range out {
			out[i] = classes.Entry{Class: "c", Stack: fmt.Sprintf("s%05d", i), Account: "111122223333", Region: "us-east-1"}
		}
		return out
	}
	tests := []struct {
		name    string
		stacks  int
		size    int
		chunks  int
		problem string
	}{
		{"size 256", 256, 256, 1, ""},
		{"size 257", 10, 257, 0, "chunk size 257: must be 1-256"},
		{"size 1", 3, 1, 3, ""},
		{"size 0", 3, 0, 0, "chunk size 0: must be 1-256"},
		{"257 stacks in chunks of 256: two, even", 257, 256, 2, ""},
		{"256 chunks", 256 * 2, 2, 256, ""},
		{"257 chunks", 256*2 + 1, 2, 0, "need 257 chunks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := classes.Split(entries(tt.stacks), tt.size)
			if tt.problem != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.problem)
				return
			}
			require.NoError(t, err)
			assert.Len(t, got, tt.chunks)
			for _, c := range got {
				assert.LessOrEqual(t, len(c.Entries), tt.size)
			}
		})
	}
}

// TestEdgeForceDestroy: the setting reaches the bucket's forceDestroy input,
// which lets the provider empty the bucket before deleting it (Pulumi AWS
// provider, s3.BucketV2 forceDestroy: "all objects ... should be deleted
// from the bucket when the bucket is destroyed so that the bucket can be
// destroyed without error"). Off, destroy leaves a non-empty bucket.
func TestEdgeForceDestroy(t *testing.T) {
	for _, tt := range []struct {
		setting string // "" for the default
		want    bool
	}{{"", true}, {"false", false}, {"true", true}} {
		t.Run("forceDestroy "+tt.setting, func(t *testing.T) {
			yaml := "config:\n  aws:region: us-east-1\n  aws:allowedAccountIds: [\"111122223333\"]\n"
			if tt.setting != "" {
				yaml += "  kms-lab:forceDestroy: " + tt.setting + "\n"
			}
			dir := project(t, "edge", yaml)
			p, err := plan.RenderFile("", filepath.Join(dir, "Pulumi.edge.yaml"), plan.Options{})
			require.NoError(t, err)
			var found bool
			for _, r := range p.Resources {
				if r.Type == "aws:s3/bucketV2:BucketV2" {
					found = true
					assert.Equal(t, tt.want, r.Inputs["forceDestroy"], "bucket %s", r.Name)
				}
			}
			assert.True(t, found, "the plan has the log bucket")
		})
	}
}
