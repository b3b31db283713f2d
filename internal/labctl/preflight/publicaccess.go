package preflight

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/s3control/types"
	"github.com/aws/smithy-go"

	"github.com/kms-lab/kms-lab/internal/report"
)

// publicAccessCheck reads the account-level S3 Block Public Access. It
// overrides the bucket's own setting: with BlockPublicAcls S3 refuses the
// image's public-read ACL (pulumi up fails with AccessDenied), with
// IgnorePublicAcls S3 accepts and ignores it, and either way lab task 4 has
// no public object ("Blocking public access to your Amazon S3 storage",
// Amazon S3 User Guide). An account that never set it answers
// NoSuchPublicAccessBlockConfiguration: nothing is blocked.
func (p *Preflight) publicAccessCheck(ctx context.Context) ([]Check, error) {
	c := Check{Name: "account-public-access"}
	out, err := p.S3Control.GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(p.Account)})
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode() == "NoSuchPublicAccessBlockConfiguration" {
		c.Status, c.Detail = report.Pass, "no account-level Block Public Access configured: the bucket's own settings apply"
		return []Check{c}, nil
	}
	if err != nil {
		return nil, p.explain(err, "the account's S3 Block Public Access")
	}
	cfg := out.PublicAccessBlockConfiguration
	if cfg == nil {
		cfg = &types.PublicAccessBlockConfiguration{}
	}
	seen := fmt.Sprintf("account-level Block Public Access: BlockPublicAcls=%t, IgnorePublicAcls=%t, BlockPublicPolicy=%t, RestrictPublicBuckets=%t",
		aws.ToBool(cfg.BlockPublicAcls), aws.ToBool(cfg.IgnorePublicAcls), aws.ToBool(cfg.BlockPublicPolicy), aws.ToBool(cfg.RestrictPublicBuckets))
	var blocking []string
	if aws.ToBool(cfg.BlockPublicAcls) {
		blocking = append(blocking, "BlockPublicAcls (S3 refuses the public-read ACL: pulumi up fails with AccessDenied)")
	}
	if aws.ToBool(cfg.IgnorePublicAcls) {
		blocking = append(blocking, "IgnorePublicAcls (S3 ignores the public-read ACL: the image stays private)")
	}
	switch {
	case len(blocking) == 0:
		c.Status, c.Detail = report.Pass, seen+"; public object ACLs are allowed"
	case !p.Config.PublicObjectACL:
		c.Status, c.Detail = report.Pass, seen+"; publicObjectAcl is false, so the image gets no public ACL"
	default:
		c.Status = report.Fail
		c.Detail = fmt.Sprintf("%s; with publicObjectAcl true, lab task 4 cannot work: %s. Fix: turn both off for the account (`aws s3control put-public-access-block --account-id %s --public-access-block-configuration BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=%t,RestrictPublicBuckets=%t`), or skip the public image: `pulumi config set kms-lab:publicObjectAcl false --stack %s`",
			seen, strings.Join(blocking, "; "), p.Account, aws.ToBool(cfg.BlockPublicPolicy), aws.ToBool(cfg.RestrictPublicBuckets), p.Stack)
	}
	return []Check{c}, nil
}
