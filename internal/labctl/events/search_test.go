package events

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

// A search finds the lab's records in the files of its window only: the
// seeded files span 40 minutes from t0, one lab Decrypt every 5; a window
// of the first 20 minutes holds the first 4 of them.
func TestSearchRunReadsItsWindow(t *testing.T) {
	m := newMemS3()
	_, labIDs := seedFiles(t, m, 40)
	s := Search{S3: m, Bucket: testLab.Bucket, Base: LogBase("", testLab.AccountID), Regions: []string{testLab.Region}, Concurrency: 4,
		Query: Query{Key: labKey(), Since: t0, Until: t0.Add(19 * time.Minute)}, Now: t0.Add(time.Hour)}
	found, err := s.Run(context.Background())
	require.NoError(t, err)
	var ids []string
	for _, match := range found.Matches {
		ids = append(ids, match.Record.EventID)
	}
	assert.Equal(t, labIDs[:4], ids)
	assert.Equal(t, []string{testLab.Region}, found.Regions)
	assert.Equal(t, len(found.Selected), found.Files, "every selected file is read")
}

// "<bucket>/<prefix>/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/"
// (AWS CloudTrail User Guide, "Finding your CloudTrail log files").
func TestLogBase(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		want   string
	}{
		{name: "no key prefix", want: "AWSLogs/111122223333/CloudTrail/"},
		{name: "a key prefix", prefix: "lab", want: "lab/AWSLogs/111122223333/CloudTrail/"},
		{name: "a key prefix with its slash", prefix: "lab/", want: "lab/AWSLogs/111122223333/CloudTrail/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, LogBase(tt.prefix, "111122223333")) })
	}
	out := &stackout.Outputs{AccountID: "111122223333", Region: "us-west-2", LogPrefix: "lab/AWSLogs/111122223333/CloudTrail/us-west-2/"}
	assert.Equal(t, "lab/AWSLogs/111122223333/CloudTrail/", StackLogBase(out), "the stack's logPrefix, without its region folder")
	out.LogPrefix = ""
	assert.Equal(t, "AWSLogs/111122223333/CloudTrail/", StackLogBase(out), "no logPrefix: the default place")
}

// aliasKMS answers DescribeKey for its aliases.
type aliasKMS map[string]string // alias -> key ID

func (a aliasKMS) DescribeKey(_ context.Context, in *kms.DescribeKeyInput, _ ...func(*kms.Options)) (*kms.DescribeKeyOutput, error) {
	id, ok := a[aws.ToString(in.KeyId)]
	if !ok {
		return nil, &kmstypes.NotFoundException{Message: aws.String("Alias " + aws.ToString(in.KeyId) + " is not found.")}
	}
	return &kms.DescribeKeyOutput{KeyMetadata: &kmstypes.KeyMetadata{KeyId: aws.String(id), Arn: aws.String("arn:aws:kms:us-west-2:111122223333:key/" + id)}}, nil
}

// The spellings a CloudTrail record may use for a key: its ID, its ARN,
// an alias name or alias ARN (AWS KMS Developer Guide, "Key identifiers
// (KeyId)").
func TestResolveKey(t *testing.T) {
	out := &stackout.Outputs{AccountID: "111122223333", Region: "us-west-2", Partition: "aws",
		KeyID: testLab.KeyID, KeyARN: testLab.KeyARN(), KeyAlias: "alias/myFirstKey"}
	other := "0987dcba-09fe-87dc-65ba-ab0987654321"
	c := aliasKMS{"alias/other": other, "alias/again": testLab.KeyID}
	tests := []struct {
		name, arg string
		want      *KeyRef
		wantErr   string
	}{
		{name: "the stack's key", want: labKey()},
		{name: "the stack's alias", arg: "alias/myFirstKey", want: labKey()},
		{name: "another alias", arg: "alias/other", want: &KeyRef{ID: other, ARN: "arn:aws:kms:us-west-2:111122223333:key/" + other, Aliases: []string{"alias/other"}}},
		{name: "another alias of the stack's key", arg: "alias/again",
			want: &KeyRef{ID: testLab.KeyID, ARN: testLab.KeyARN(), Aliases: append([]string{"alias/again"}, labKey().Aliases...)}},
		{name: "a key ID", arg: other, want: &KeyRef{ID: other, ARN: "arn:aws:kms:us-west-2:111122223333:key/" + other}},
		{name: "a key ARN", arg: "arn:aws:kms:us-west-2:111122223333:key/" + other, want: &KeyRef{ID: other, ARN: "arn:aws:kms:us-west-2:111122223333:key/" + other}},
		{name: "an ARN of something else", arg: "arn:aws:s3:::bucket", wantErr: `"arn:aws:s3:::bucket" is not a KMS key or alias ARN`},
		{name: "an unknown alias", arg: "alias/nope", wantErr: "KMS alias alias/nope not found (account 111122223333, us-west-2): check the name with `aws kms list-aliases`; the stack's alias is alias/myFirstKey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ResolveKey(context.Background(), c, out, tt.arg, awsclient.Target{Account: "111122223333", Region: "us-west-2"})
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Equal(t, tt.wantErr, err.Error())
				var keyErr *KeyError
				assert.Equal(t, tt.arg == "arn:aws:s3:::bucket", errors.As(err, &keyErr), "only a malformed reference is the flag's error")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}
