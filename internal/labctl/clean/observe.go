package clean

import (
	"context"
	"errors"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/clean/plan"
	"github.com/kms-lab/kms-lab/internal/labctl/labfind"
)

// observe reads, once, what the plan needs of the account: every trail it
// can see, the prefix's buckets, the alias and its key. A read that fails
// is kept in the snapshot as that, never as "not there".
func (c *Cleaner) observe(ctx context.Context) plan.Account {
	a := plan.Account{ID: c.Identity.Account, Region: c.Clients.Region}
	a.Trails, a.TrailsErr = c.readTrails(ctx)
	if a.TrailsErr == nil {
		a.ElsewhereErr = c.readTrailsElsewhere(ctx, &a)
	}
	a.Buckets, a.BucketsErr = c.readBuckets(ctx)
	a.Alias, a.AliasErr = c.readAlias(ctx)
	return a
}

// readError keeps a failed read: the explained error, and whether it was
// refused.
func (c *Cleaner) readError(err error, what string) *plan.ReadError {
	kind := awsclient.Classify(err)
	return &plan.ReadError{Why: c.explain(err, what).Error(), Denied: kind == awsclient.KindAccessDenied || kind == awsclient.KindBadCredentials}
}

// readTrails reads every trail the region sees, shadow trails included:
// GetTrail and DescribeTrails by name answer only for trails of the
// current region ("To return information about a trail in another Region,
// you must specify its trail ARN", CloudTrail API Reference,
// DescribeTrails), so a multi-region trail created while the console was
// in another region would be missed by its name.
func (c *Cleaner) readTrails(ctx context.Context) ([]plan.Trail, *plan.ReadError) {
	out, err := c.Clients.CloudTrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true)})
	if err != nil {
		return nil, c.readError(err, "the trails of "+c.Clients.Region+" (cloudtrail:DescribeTrails)")
	}
	var trails []plan.Trail
	for _, tr := range out.TrailList {
		t := plan.Trail{Name: aws.ToString(tr.Name), ARN: aws.ToString(tr.TrailARN), HomeRegion: aws.ToString(tr.HomeRegion),
			Bucket: aws.ToString(tr.S3BucketName), Organization: aws.ToBool(tr.IsOrganizationTrail)}
		if t.Name == c.Options.Trail && !t.Organization {
			c.readLabTrail(ctx, &t)
		}
		trails = append(trails, t)
	}
	sort.Slice(trails, func(i, j int) bool { return trails[i].ARN < trails[j].ARN })
	return trails, nil
}

// trailClient is a CloudTrail client for the trail's home region, the only
// region that answers for its tags and selectors by ARN and deletes it.
func (c *Cleaner) trailClient(home string) *cloudtrail.Client {
	ct := c.Clients.CloudTrail
	if home == "" || home == c.Clients.Region {
		return ct
	}
	return cloudtrail.New(ct.Options(), func(o *cloudtrail.Options) { o.Region = home })
}

// readLabTrail reads the tags and what a trail with the lab's name logs.
func (c *Cleaner) readLabTrail(ctx context.Context, t *plan.Trail) {
	ct := c.trailClient(t.HomeRegion)
	tags, err := ct.ListTags(ctx, &cloudtrail.ListTagsInput{ResourceIdList: []string{t.ARN}})
	if err != nil {
		t.TagsErr = c.readError(err, "the tags of trail "+t.ARN)
		return
	}
	t.Tags = map[string]string{}
	for _, rt := range tags.ResourceTagList {
		for _, tag := range rt.TagsList {
			t.Tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
		}
	}
	sel, err := ct.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(t.ARN)})
	if err != nil {
		t.EventsErr = c.readError(err, "the event selectors of "+t.ARN)
		return
	}
	t.Events = &plan.TrailEvents{Selectors: sel.EventSelectors, Advanced: sel.AdvancedEventSelectors}
	in, err := ct.GetInsightSelectors(ctx, &cloudtrail.GetInsightSelectorsInput{TrailName: aws.String(t.ARN)})
	switch {
	case err == nil:
		t.Events.Insights = in.InsightSelectors
	case errorCode(err) == "InsightNotEnabledException":
	default:
		t.Events.InsightsErr = c.readError(err, "the Insights selectors of "+t.ARN)
	}
}

// readTrailsElsewhere adds the trails this region does not see: a
// single-region trail homed in another region can still log to a bucket
// with the lab's prefix. ListTrails lists the account's trails of every
// region; each one not seen here is read in its home region.
func (c *Cleaner) readTrailsElsewhere(ctx context.Context, a *plan.Account) *plan.ReadError {
	seen := map[string]bool{}
	for _, t := range a.Trails {
		seen[t.ARN] = true
	}
	p := cloudtrail.NewListTrailsPaginator(c.Clients.CloudTrail, &cloudtrail.ListTrailsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return c.readError(err, "the account's trails of every region (cloudtrail:ListTrails)")
		}
		for _, info := range page.Trails {
			arn := aws.ToString(info.TrailARN)
			if seen[arn] {
				continue
			}
			seen[arn] = true
			out, err := c.trailClient(aws.ToString(info.HomeRegion)).GetTrail(ctx, &cloudtrail.GetTrailInput{Name: aws.String(arn)})
			if err != nil {
				if errorCode(err) == "TrailNotFoundException" {
					continue // deleted since the listing
				}
				return c.readError(err, "trail "+arn)
			}
			if tr := out.Trail; tr != nil {
				a.Trails = append(a.Trails, plan.Trail{Name: aws.ToString(tr.Name), ARN: arn, HomeRegion: aws.ToString(tr.HomeRegion),
					Bucket: aws.ToString(tr.S3BucketName), Organization: aws.ToBool(tr.IsOrganizationTrail)})
			}
		}
	}
	sort.Slice(a.Trails, func(i, j int) bool { return a.Trails[i].ARN < a.Trails[j].ARN })
	return nil
}

// readBuckets reads every bucket whose name starts with the prefix: its
// tags, its policy and what it holds.
func (c *Cleaner) readBuckets(ctx context.Context) ([]plan.Bucket, *plan.ReadError) {
	found, err := labfind.Buckets(ctx, c.Clients.S3, c.Options.BucketPrefix)
	if err != nil {
		return nil, c.readError(err, "the account's S3 buckets")
	}
	var buckets []plan.Bucket
	for _, f := range found {
		buckets = append(buckets, c.readBucket(ctx, f))
	}
	return buckets, nil
}

func (c *Cleaner) readBucket(ctx context.Context, f labfind.Bucket) plan.Bucket {
	b := plan.Bucket{Name: f.Name, Region: f.Region}
	cl := c.bucketClient(f.Region)
	name := aws.String(f.Name)
	tags, err := cl.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: name})
	switch {
	case err == nil:
		b.Tags = map[string]string{}
		for _, t := range tags.TagSet {
			b.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
	case errorCode(err) == "NoSuchTagSet":
		// No tags at all: no stack owns it.
	case errorCode(err) == "NoSuchBucket":
		b.Gone = true
		return b
	default:
		b.TagsErr = c.readError(err, "the tags of bucket "+f.Name)
		return b
	}
	pol, err := cl.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: name})
	switch {
	case err == nil:
		b.Policy = aws.ToString(pol.Policy)
	case errorCode(err) == "NoSuchBucketPolicy":
	case errorCode(err) == "NoSuchBucket":
		b.Gone = true
		return b
	default:
		b.PolicyErr = c.readError(err, "the policy of bucket "+f.Name)
		return b
	}
	n, err := countVersions(ctx, cl, f.Name)
	switch {
	case err == nil:
		b.Contents = n
	case errorCode(err) == "NoSuchBucket":
		b.Gone = true
	default:
		b.ContentsErr = c.readError(err, "the objects of bucket "+f.Name)
	}
	return b
}

// bucketClient is an S3 client for the bucket's region: a bucket answers
// only in its own.
func (c *Cleaner) bucketClient(region string) *s3.Client {
	cl := c.Clients.S3
	if region == "" || region == c.Clients.Region {
		return cl
	}
	return s3.New(cl.Options(), func(o *s3.Options) { o.Region = region })
}

// readAlias reads the lab's alias, its key, the key's tags and its other
// aliases; nil when the alias is not there.
func (c *Cleaner) readAlias(ctx context.Context) (*plan.Alias, *plan.ReadError) {
	alias := labfind.AliasName(c.Options.Alias)
	md, err := labfind.Key(ctx, c.Clients.KMS, alias)
	if err != nil {
		if awsclient.Classify(err) == awsclient.KindNotFound {
			return nil, nil
		}
		return nil, c.readError(err, "KMS alias "+alias)
	}
	k := &plan.Alias{Name: alias, KeyID: aws.ToString(md.KeyId), KeyManager: string(md.KeyManager), KeyState: string(md.KeyState), DeletionDate: md.DeletionDate}
	if k.Tags, err = c.keyTags(ctx, k.KeyID); err != nil {
		k.TagsErr = c.readError(err, "the tags of KMS key "+k.KeyID)
		return k, nil
	}
	if k.OtherAliases, err = c.otherAliases(ctx, k.KeyID, alias); err != nil {
		k.OtherAliasesErr = c.readError(err, "the aliases of KMS key "+k.KeyID)
	}
	return k, nil
}

func (c *Cleaner) keyTags(ctx context.Context, keyID string) (map[string]string, error) {
	tags := map[string]string{}
	p := kms.NewListResourceTagsPaginator(c.Clients.KMS, &kms.ListResourceTagsInput{KeyId: aws.String(keyID)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, t := range page.Tags {
			tags[aws.ToString(t.TagKey)] = aws.ToString(t.TagValue)
		}
	}
	return tags, nil
}

// otherAliases are the key's aliases other than the lab's, sorted.
func (c *Cleaner) otherAliases(ctx context.Context, keyID, alias string) ([]string, error) {
	var others []string
	p := kms.NewListAliasesPaginator(c.Clients.KMS, &kms.ListAliasesInput{KeyId: aws.String(keyID)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, a := range page.Aliases {
			// A filter an endpoint ignores must not make every alias "another".
			if name := aws.ToString(a.AliasName); name != alias && aws.ToString(a.TargetKeyId) == keyID {
				others = append(others, name)
			}
		}
	}
	sort.Strings(others)
	return others, nil
}

// errorCode is the AWS error code of err, "" when it has none.
func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}
