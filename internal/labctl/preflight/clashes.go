package preflight

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"

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
// alias/myFirstKey in the console.
func (p *Preflight) aliasCheck(ctx context.Context) ([]Check, error) {
	alias := "alias/" + p.Config.KeyAlias
	c := Check{Name: "alias-name"}
	out, err := p.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(alias)})
	if awsclient.Classify(err) == awsclient.KindNotFound {
		c.Status, c.Detail = report.Pass, alias+" is free in "+p.Region
		return []Check{c}, nil
	}
	if err != nil {
		return nil, p.explain(err, "key alias "+alias+" (kms:DescribeKey)")
	}
	c.Status = report.Fail
	c.Detail = fmt.Sprintf("%s already exists in %s (key %s), made outside this stack; pulumi up would fail with AlreadyExistsException. Adopt it (pulumi up then points it at the lab key): %s; or choose another name: `pulumi config set kms-lab:%s %s-%s --stack %s`",
		alias, p.Region, aws.ToString(out.KeyMetadata.KeyId), p.importCommand(typeAlias, alias), config.KeyAlias, p.Config.KeyAlias, p.Stack, p.Stack)
	return []Check{c}, nil
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
		return nil, p.explain(err, "bucket "+name+" (s3:ListBucket)")
	}
	c.Status = report.Fail
	c.Detail = fmt.Sprintf("bucket %s already exists in account %s, made outside this stack; pulumi up would fail with BucketAlreadyOwnedByYou. Adopt it: %s; or choose another name: %s",
		name, p.Account, p.importCommand(typeBucket, name), change)
	return []Check{c}, nil
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
