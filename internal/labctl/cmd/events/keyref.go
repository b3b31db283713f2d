package events

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	labevents "github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

// resolveKey turns --key (a key ID, key ARN or alias, or empty for the
// stack's key) into every spelling a CloudTrail record may use. Only an
// alias other than the stack's needs a KMS call.
func resolveKey(ctx context.Context, c *awsclient.Clients, out *stackout.Outputs, arg string, t awsclient.Target) (*labevents.KeyRef, error) {
	stackKey := &labevents.KeyRef{ID: out.KeyID, ARN: out.KeyARN, Aliases: []string{out.KeyAlias, out.AliasARN()}}
	switch {
	case arg == "" || arg == out.KeyID || arg == out.KeyARN || arg == out.KeyAlias || arg == out.AliasARN():
		return stackKey, nil
	case isAlias(arg):
		desc, err := c.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(arg)})
		if err != nil && awsclient.Classify(err) == awsclient.KindNotFound {
			return nil, &awsclient.Error{Err: err, Msg: fmt.Sprintf(
				"KMS alias %s not found (account %s, %s): check the name with `aws kms list-aliases`; the stack's alias is %s", arg, t.Account, t.Region, out.KeyAlias)}
		}
		if err != nil {
			t.What = "KMS alias " + arg
			return nil, awsclient.Explain(err, t)
		}
		md := desc.KeyMetadata
		ref := &labevents.KeyRef{ID: aws.ToString(md.KeyId), ARN: aws.ToString(md.Arn), Aliases: []string{arg}}
		if ref.ID == out.KeyID {
			ref.Aliases = append(ref.Aliases, stackKey.Aliases...)
		}
		return ref, nil
	case strings.HasPrefix(arg, "arn:"):
		i := strings.Index(arg, ":key/")
		if i < 0 {
			return nil, cmdutil.FlagErrorf("--key %q is not a KMS key or alias ARN", arg)
		}
		return &labevents.KeyRef{ID: arg[i+len(":key/"):], ARN: arg}, nil
	default:
		return &labevents.KeyRef{ID: arg, ARN: fmt.Sprintf("arn:%s:kms:%s:%s:key/%s", out.Partition, out.Region, out.AccountID, arg)}, nil
	}
}

func isAlias(s string) bool {
	return strings.HasPrefix(s, "alias/") || (strings.HasPrefix(s, "arn:") && strings.Contains(s, ":alias/"))
}
