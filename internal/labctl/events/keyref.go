package events

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

// KMSAPI is the part of the KMS client that resolves an alias.
type KMSAPI interface {
	DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
}

// StackKey is the stack's key in every spelling a CloudTrail record may
// use: key ID, key ARN, alias name and alias ARN.
func StackKey(out *stackout.Outputs) *KeyRef {
	return &KeyRef{ID: out.KeyID, ARN: out.KeyARN, Aliases: []string{out.KeyAlias, out.AliasARN()}}
}

// StackObject is the object key in the stack's bucket; "" is the stack's
// image.
func StackObject(out *stackout.Outputs, key string) *ObjectRef {
	if key == "" {
		key = out.ObjectKey
	}
	return &ObjectRef{
		Bucket: out.BucketName, Key: key,
		ARN: fmt.Sprintf("arn:%s:s3:::%s/%s", out.Partition, out.BucketName, key),
	}
}

// KeyError says why a key reference is not one; the command names the
// flag it came from.
type KeyError struct{ Value, Rule string }

func (e *KeyError) Error() string { return fmt.Sprintf("%q %s", e.Value, e.Rule) }

// ResolveKey turns a key reference (a key ID, key ARN or alias, or "" for
// the stack's key) into every spelling a CloudTrail record may use. Only
// an alias other than the stack's needs a KMS call.
func ResolveKey(ctx context.Context, c KMSAPI, out *stackout.Outputs, arg string, t awsclient.Target) (*KeyRef, error) {
	stackKey := StackKey(out)
	switch {
	case arg == "" || arg == out.KeyID || arg == out.KeyARN || arg == out.KeyAlias || arg == out.AliasARN():
		return stackKey, nil
	case isAlias(arg):
		desc, err := c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(arg)})
		if err != nil && awsclient.Classify(err) == awsclient.KindNotFound {
			return nil, &awsclient.Error{Err: err, Msg: fmt.Sprintf(
				"KMS alias %s not found (account %s, %s): check the name with `aws kms list-aliases`; the stack's alias is %s", arg, t.Account, t.Region, out.KeyAlias)}
		}
		if err != nil {
			t.What = "KMS alias " + arg
			return nil, awsclient.Explain(err, t)
		}
		md := desc.KeyMetadata
		ref := &KeyRef{ID: aws.ToString(md.KeyId), ARN: aws.ToString(md.Arn), Aliases: []string{arg}}
		if ref.ID == out.KeyID {
			ref.Aliases = append(ref.Aliases, stackKey.Aliases...)
		}
		return ref, nil
	case strings.HasPrefix(arg, "arn:"):
		i := strings.Index(arg, ":key/")
		if i < 0 {
			return nil, &KeyError{Value: arg, Rule: "is not a KMS key or alias ARN"}
		}
		return &KeyRef{ID: arg[i+len(":key/"):], ARN: arg}, nil
	default:
		return &KeyRef{ID: arg, ARN: fmt.Sprintf("arn:%s:kms:%s:%s:key/%s", out.Partition, out.Region, out.AccountID, arg)}, nil
	}
}

func isAlias(s string) bool {
	return strings.HasPrefix(s, "alias/") || (strings.HasPrefix(s, "arn:") && strings.Contains(s, ":alias/"))
}
