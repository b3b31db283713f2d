package config

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// moduleDir is where the module cache holds the version of module that
// go.mod pins.
func moduleDir(t *testing.T, module string) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	require.NoError(t, err, "go list -m %s", module)
	dir := strings.TrimSpace(string(out))
	require.NotEmpty(t, dir, "%s is not in the module cache: run go mod download", module)
	return dir
}

// Issue 22: ProviderKeys is a copy of pulumi-aws's config keys. The keys
// are read here from the pinned SDK's config package (one Get function per
// key, each reading "aws:<key>"), so a pulumi-aws upgrade that adds or drops
// a key fails this test until the copy follows.
func TestProviderKeysAreThePinnedSDKs(t *testing.T) {
	file := filepath.Join(moduleDir(t, "github.com/pulumi/pulumi-aws/sdk/v6"), "go", "aws", "config", "config.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	require.NoError(t, err)
	var sdk []string
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Body == nil || !strings.HasPrefix(fn.Name.Name, "Get") {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && strings.HasPrefix(s, ProviderNamespace+":") {
				sdk = append(sdk, strings.TrimPrefix(s, ProviderNamespace+":"))
			}
			return true
		})
	}
	slices.Sort(sdk)
	sdk = slices.Compact(sdk)
	require.NotEmpty(t, sdk, "no aws: keys found in %s: has the SDK's layout changed?", file)
	assert.Equal(t, sdk, ProviderKeys(), "config.ProviderKeys differs from the keys of %s", file)
}

// Issue 24: the partitions' region names are the AWS SDK's own (its
// partitions.json regionRegex); this holds the copy to the pinned SDK.
func TestRegionPartitionsAreThePinnedSDKs(t *testing.T) {
	file := filepath.Join(moduleDir(t, "github.com/aws/aws-sdk-go-v2"), "internal", "endpoints", "awsrulesfn", "partitions.json")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var doc struct {
		Partitions []struct {
			ID          string `json:"id"`
			RegionRegex string `json:"regionRegex"`
		} `json:"partitions"`
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	sdk := map[string]string{}
	for _, p := range doc.Partitions {
		sdk[p.ID] = p.RegionRegex
	}
	ours := map[string]string{}
	for _, p := range partitionRegions {
		ours[p.partition] = p.re.String()
	}
	assert.Equal(t, sdk, ours)
}

// The region rule: names from AWS's Regions list (AWS General Reference,
// "AWS Regions") pass with their partition; anything else is refused.
func TestRegionPartition(t *testing.T) {
	tests := []struct {
		region, partition string
	}{
		{"us-west-2", "aws"},
		{"eu-central-1", "aws"},
		{"il-central-1", "aws"},
		{"cn-north-1", "aws-cn"},
		{"us-gov-west-1", "aws-us-gov"},
		{"us-iso-east-1", "aws-iso"},
		{"", ""},
		{"mars-1", ""},
		{"us-west", ""},
		{"US-WEST-2", ""},
		{`["us-west-2"]`, ""},
		{"us-west-2 ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			p, ok := RegionPartition(tt.region)
			assert.Equal(t, tt.partition, p)
			assert.Equal(t, tt.partition != "", ok)
		})
	}
}
