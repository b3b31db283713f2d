package labctlclean_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// inventory is what the SDK lists in an account after a clean.
type inventory struct {
	trails  []string          // trail names
	buckets []string          // bucket names
	objects map[string]int    // bucket name -> object versions and delete markers
	aliases map[string]string // alias name -> key ID (customer aliases only)
	keys    map[string]string // key ID -> key state
}

func list(t testing.TB, c *handlab.Console) inventory {
	t.Helper()
	ctx := context.Background()
	inv := inventory{aliases: map[string]string{}, keys: map[string]string{}, objects: map[string]int{}}
	tr, err := c.CloudTrail.ListTrails(ctx, &cloudtrail.ListTrailsInput{})
	require.NoError(t, err, "ListTrails")
	for _, x := range tr.Trails {
		inv.trails = append(inv.trails, aws.ToString(x.Name))
	}
	bs, err := c.S3.ListBuckets(ctx, &s3.ListBucketsInput{})
	require.NoError(t, err, "ListBuckets")
	for _, b := range bs.Buckets {
		inv.buckets = append(inv.buckets, aws.ToString(b.Name))
		vs, err := c.S3.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: b.Name})
		require.NoError(t, err, "ListObjectVersions %s", aws.ToString(b.Name))
		inv.objects[aws.ToString(b.Name)] = len(vs.Versions) + len(vs.DeleteMarkers)
	}
	as, err := c.KMS.ListAliases(ctx, &kms.ListAliasesInput{})
	require.NoError(t, err, "ListAliases")
	for _, a := range as.Aliases {
		if name := aws.ToString(a.AliasName); !strings.HasPrefix(name, "alias/aws/") {
			inv.aliases[name] = aws.ToString(a.TargetKeyId)
		}
	}
	ks, err := c.KMS.ListKeys(ctx, &kms.ListKeysInput{})
	require.NoError(t, err, "ListKeys")
	for _, k := range ks.Keys {
		d, err := c.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: k.KeyId})
		require.NoError(t, err, "DescribeKey")
		inv.keys[aws.ToString(k.KeyId)] = string(d.KeyMetadata.KeyState)
	}
	sort.Strings(inv.trails)
	sort.Strings(inv.buckets)
	return inv
}

// connector is the Factory's AWS connector for the tests: it assumes the
// stack's role (or, for `labctl clean`, the role of account) through the
// endpoint, as the stack file says labctl reaches the account, and builds
// labctl's clients on that session. front, when set, is where the clients
// send their calls afterwards.
func connector(account, front string) cmdutil.AWSConnector {
	return func(ctx context.Context, opts awsclient.Options, stackRegion string) (*awsclient.Clients, error) {
		region := opts.Region
		if region == "" {
			region = stackRegion
		}
		role := roleARN(account)
		if opts.AssumeRole != nil {
			role = opts.AssumeRole.RoleARN
		}
		s, err := mototest.AssumeRole(ctx, opts.EndpointURL, region, role, "labctl")
		if err != nil {
			return nil, errors.New(awsclient.OneLine(err.Error()))
		}
		cfg := s.Config.Copy()
		endpoint := opts.EndpointURL
		if front != "" {
			endpoint = front
		}
		cfg.BaseEndpoint = aws.String(endpoint)
		return awsclient.FromConfig(cfg, endpoint), nil
	}
}

// fixedNow is the tests' clock.
var fixedNow = time.Date(2026, 1, 15, 12, 0, 0, 0, time.UTC)

// factory is a Factory with buffers, the fixed clock and conn.
func factory(conn cmdutil.AWSConnector) (*cmdutil.Factory, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &cmdutil.Factory{IOStreams: &cmdutil.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut},
		AWS: conn, Now: func() time.Time { return fixedNow }}, out, errOut
}

// action is one line of `--json`.
type action struct {
	Type, Name, Action, Status, Detail string
}

func decodeActions(t testing.TB, out []byte) []action {
	t.Helper()
	var doc struct {
		Actions []action `json:"actions"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&doc), "clean --json: %s", out)
	require.NotNil(t, doc.Actions, "clean --json prints an actions list, empty when nothing is found: %s", out)
	return doc.Actions
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
