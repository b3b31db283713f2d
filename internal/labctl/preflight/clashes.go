package preflight

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/report"
)

// Resource type tokens of the resources whose names can clash with things
// made by hand.
const (
	typeAlias  = "aws:kms/alias:Alias"
	typeTrail  = "aws:cloudtrail/trail:Trail"
	typeBucket = "aws:s3/bucketV2:BucketV2"
)

// aliasCheck looks for a key alias of the same name: KMS refuses to create
// a second one (AlreadyExistsException), typically because a student made
// alias/myFirstKey in the console. An alias has no tags; the key it points
// to says which stack made the pair.
func (p *Preflight) aliasCheck(ctx context.Context) ([]Check, error) {
	alias := "alias/" + p.Config.KeyAlias
	out, err := p.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(alias)})
	if awsclient.Classify(err) == awsclient.KindNotFound {
		return []Check{{Name: "alias-name", Status: report.Pass, Detail: alias + " is free in " + p.Region}}, nil
	}
	if err != nil {
		return nil, p.explain(err, "key alias "+alias)
	}
	keyID := aws.ToString(out.KeyMetadata.KeyId)
	t := taken{
		Check:   "alias-name",
		Seen:    fmt.Sprintf("%s already exists in %s (key %s)", alias, p.Region, keyID),
		Refusal: "AlreadyExistsException",
		Adopt:   "Adopt it (pulumi up then points it at the lab key): " + p.importCommand(typeAlias, alias),
		Rename:  fmt.Sprintf("`pulumi config set kms-lab:%s %s-%s --stack %s`", config.KeyAlias, p.Config.KeyAlias, p.Stack, p.Stack),
	}
	t.Tagged, t.TagErr = p.keyStackTag(ctx, keyID)
	return []Check{nameCheck(p.Stack, t)}, nil
}

// keyStackTag is the kms-lab:stack tag of a key, "" when it has none.
func (p *Preflight) keyStackTag(ctx context.Context, keyID string) (string, error) {
	pages := kms.NewListResourceTagsPaginator(p.KMS, &kms.ListResourceTagsInput{KeyId: aws.String(keyID)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return "", p.explain(err, "the tags of key "+keyID)
		}
		for _, tag := range page.Tags {
			if aws.ToString(tag.TagKey) == config.StackTagKey {
				return aws.ToString(tag.TagValue), nil
			}
		}
	}
	return "", nil
}

// bucketCheck looks for an exact bucketName: bucket names are global, so it
// may be this account's (adopt it) or anyone's (choose another). A
// generated name cannot clash.
func (p *Preflight) bucketCheck(ctx context.Context) ([]Check, error) {
	c := Check{Name: "bucket-name"}
	name := p.Config.BucketName
	if name == "" {
		c.Status = report.Pass
		c.Detail = fmt.Sprintf("generated at create time (%s + 26 characters): no clash possible", p.Config.BucketNamePrefix)
		return []Check{c}, nil
	}
	// ExpectedBucketOwner makes S3 answer 403 for a bucket of another account.
	_, err := p.S3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(name), ExpectedBucketOwner: aws.String(p.Account)})
	change := fmt.Sprintf("`pulumi config set kms-lab:%s %s-%s --stack %s` (or remove it to get a generated name)", config.BucketName, name, p.Account, p.Stack)
	switch awsclient.Classify(err) {
	case awsclient.KindNotFound:
		c.Status, c.Detail = report.Pass, "bucket "+name+" does not exist yet"
		return []Check{c}, nil
	case awsclient.KindAccessDenied:
		c.Status = report.Fail
		c.Detail = fmt.Sprintf("bucket %s exists and belongs to another account (HeadBucket: 403); bucket names are global, so choose another: %s", name, change)
		return []Check{c}, nil
	case awsclient.KindWrongRegion:
		c.Status = report.Fail
		c.Detail = fmt.Sprintf("bucket %s exists in another region; a trail bucket must be where the stack is, so choose another name: %s", name, change)
		return []Check{c}, nil
	}
	if err != nil {
		return nil, p.explain(err, "bucket "+name)
	}
	t := taken{
		Check:   "bucket-name",
		Seen:    fmt.Sprintf("bucket %s already exists in account %s", name, p.Account),
		Refusal: "BucketAlreadyOwnedByYou",
		Adopt:   "Adopt it: " + p.importCommand(typeBucket, name),
		Rename:  change,
	}
	t.Tagged, t.TagErr = p.bucketStackTag(ctx, name)
	return []Check{nameCheck(p.Stack, t)}, nil
}

// bucketStackTag is the kms-lab:stack tag of a bucket of this account, ""
// when it has none. A bucket without any tag answers NoSuchTagSet (Amazon
// S3 API Reference, GetBucketTagging).
func (p *Preflight) bucketStackTag(ctx context.Context, name string) (string, error) {
	out, err := p.S3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(name), ExpectedBucketOwner: aws.String(p.Account)})
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode() == "NoSuchTagSet" {
		return "", nil
	}
	if err != nil {
		return "", p.explain(err, "the tags of bucket "+name)
	}
	for _, tag := range out.TagSet {
		if aws.ToString(tag.Key) == config.StackTagKey {
			return aws.ToString(tag.Value), nil
		}
	}
	return "", nil
}

// importCommand is the `pulumi import` that adopts an existing resource as
// the program's resource of type typ: its type token, the program's name
// for it, the import ID the provider documents, and the component it lives
// in. --protect=false because an imported resource is protected by default,
// and a protected resource would stop the class's `pulumi destroy`.
func (p *Preflight) importCommand(typ, id string) string {
	r, ok := p.resource(typ)
	if !ok {
		return fmt.Sprintf("`pulumi import --stack %s '%s' NAME %s` (the program registers no %s; check the plan with labplan)", p.Stack, typ, id, typ)
	}
	cmd := fmt.Sprintf("pulumi import --stack %s '%s' %s '%s'", p.Stack, typ, r.Name, id)
	if r.Parent != "" {
		cmd += fmt.Sprintf(" --parent '%s=%s'", urnName(r.Parent), r.Parent)
	}
	return "`" + cmd + " --protect=false`"
}

// urnName is the resource name at the end of a URN
// (urn:pulumi:STACK::PROJECT::TYPE::NAME).
func urnName(urn string) string {
	return urn[strings.LastIndex(urn, "::")+2:]
}
