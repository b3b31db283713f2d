package clean

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/clean/plan"
)

// apply does one planned step and says how it went.
func (c *Cleaner) apply(ctx context.Context, op plan.Op) (string, error) {
	switch op.Kind {
	case plan.OpDeleteTrail:
		return c.deleteTrail(ctx, op)
	case plan.OpEmptyAndDeleteBucket:
		return c.deleteBucket(ctx, op)
	case plan.OpDeleteAlias:
		if _, err := c.Clients.KMS.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String(op.Name)}); err != nil &&
			awsclient.Classify(err) != awsclient.KindNotFound {
			return "", err
		}
		return "deleted; it pointed to key " + op.Key, nil
	case plan.OpScheduleKeyDeletion:
		out, err := c.Clients.KMS.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(op.Name), PendingWindowInDays: aws.Int32(int32(op.Days))})
		if err != nil {
			return "", err
		}
		if out.DeletionDate == nil {
			return fmt.Sprintf("deletion scheduled in %d days", op.Days), nil
		}
		return "deletion scheduled: takes effect on " + plan.Day(*out.DeletionDate) + "; until then `aws kms cancel-key-deletion` undoes it", nil
	}
	return "", fmt.Errorf("clean has no way to %q", op.Kind)
}

// deleteTrail deletes the trail in its home region, the only region where
// CloudTrail deletes it ("This operation must be called from the Region in
// which the trail was created", CloudTrail API Reference, DeleteTrail).
// By name, where the name is unique (moto ignores an ARN here, and AWS
// takes either).
func (c *Cleaner) deleteTrail(ctx context.Context, op plan.Op) (string, error) {
	if _, err := c.trailClient(op.Region).DeleteTrail(ctx, &cloudtrail.DeleteTrailInput{Name: aws.String(op.Name)}); err != nil {
		if errorCode(err) == "TrailNotFoundException" {
			return "already gone", nil
		}
		return "", err
	}
	return fmt.Sprintf("deleted in its home region %s; it logs nothing more", op.Region), nil
}

func (c *Cleaner) deleteBucket(ctx context.Context, op plan.Op) (string, error) {
	cl := c.bucketClient(op.Region)
	removed, err := c.empty(ctx, cl, op.Name, op.Expected)
	if err != nil {
		return "", fmt.Errorf("emptying bucket %s after %d removed: %w", op.Name, removed, err)
	}
	if _, err := cl.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(op.Name)}); err != nil && errorCode(err) != "NoSuchBucket" {
		return "", err
	}
	return fmt.Sprintf("deleted with its %d object versions and delete markers", removed), nil
}
