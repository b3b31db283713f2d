package account

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// LabBucket is the name of the lab's trail bucket as the snapshot shows
// it: the outputs' bucket, else the lab trail's, else the one bucket with
// the prefix; "" when there is none (or several, or they were not read).
func (s *Snapshot) LabBucket() string {
	if s.Names.Bucket != "" {
		return s.Names.Bucket
	}
	if t := s.LabTrail(); t != nil && t.Bucket != "" {
		return t.Bucket
	}
	if s.BucketList.OK() && len(s.BucketList.Value) == 1 {
		return s.BucketList.Value[0].Name
	}
	return ""
}

// LogBase is the trail's log folder, [prefix/]AWSLogs/ACCOUNT/CloudTrail/.
func (s *Snapshot) LogBase() string {
	base := fmt.Sprintf("AWSLogs/%s/CloudTrail/", s.Taken.Account)
	if t := s.LabTrail(); t != nil && t.KeyPrefix != "" {
		base = strings.TrimSuffix(t.KeyPrefix, "/") + "/" + base
	}
	return base
}

// observeBuckets lists the prefix's buckets where the command needs them,
// and reads the lab's bucket (and, for clean, every prefix bucket) in
// detail; check then picks the image among the lab bucket's objects.
func (o *Observer) observeBuckets(ctx context.Context, s *Snapshot, r Reads) {
	lab := s.LabTrail()
	needList := r.PrefixBuckets || (s.Names.Bucket == "" && (lab == nil || lab.Bucket == ""))
	if needList && s.Names.BucketPrefix != "" {
		s.BucketList = o.listBuckets(ctx, s.Names.BucketPrefix)
	}
	names := map[string]bool{}
	if b := s.LabBucket(); b != "" {
		names[b] = true
	}
	if r.PrefixBuckets && s.BucketList.OK() {
		for _, b := range s.BucketList.Value {
			names[b.Name] = true
		}
	}
	labBucket := s.LabBucket()
	for _, name := range sortedKeys(names) {
		s.Buckets = append(s.Buckets, o.readBucket(ctx, name, r, name == labBucket && s.Names.ObjectKey == "", s.LogBase()))
	}
	if labBucket == "" {
		return
	}
	s.Image.Bucket = labBucket
	if s.Names.ObjectKey != "" {
		s.Image.Key = s.Names.ObjectKey
		return
	}
	if b := s.Bucket(labBucket); b != nil && b.Objects.OK() {
		s.Image.Key, s.Image.Chosen, s.Image.Candidates = ChooseImage(b.Objects.Value)
	}
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (o *Observer) listBuckets(ctx context.Context, prefix string) Field[[]BucketRef] {
	found := []BucketRef{}
	p := s3.NewListBucketsPaginator(o.Clients.S3, &s3.ListBucketsInput{Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return failField[[]BucketRef](o, err, "the account's S3 buckets")
		}
		for _, b := range page.Buckets {
			// S3 filters by the prefix; the names are checked again in case
			// an endpoint ignores the filter.
			if name := aws.ToString(b.Name); strings.HasPrefix(name, prefix) {
				found = append(found, BucketRef{Name: name, Region: aws.ToString(b.BucketRegion)})
			}
		}
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Name < found[j].Name })
	return Value(found)
}

// readBucket reads one bucket's settings; with objects, its objects
// outside the log folder too.
func (o *Observer) readBucket(ctx context.Context, name string, r Reads, objects bool, logBase string) Bucket {
	c := o.Clients.S3
	b := Bucket{Name: name}
	bucket := aws.String(name)
	what := "S3 bucket " + name
	if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: bucket}); err != nil {
		b.Exists = failField[bool](o, err, what)
		return b
	}
	b.Exists = Value(true)
	if out, err := c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: bucket}); err != nil {
		b.Ownership = failField[string](o, err, "ownership controls of "+what)
	} else if out.OwnershipControls == nil || len(out.OwnershipControls.Rules) == 0 {
		b.Ownership = Absent[string]()
	} else {
		b.Ownership = Value(string(out.OwnershipControls.Rules[0].ObjectOwnership))
	}
	if out, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: bucket}); err != nil {
		b.PublicAccessBlock = failField[PublicAccessBlock](o, err, "public access block of "+what)
	} else {
		b.PublicAccessBlock = Value(pabOf(out.PublicAccessBlockConfiguration))
	}
	if r.BucketEncryption {
		if out, err := c.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: bucket}); err != nil {
			b.Encryption = failField[string](o, err, "default encryption of "+what)
		} else if alg := defaultSSE(out.ServerSideEncryptionConfiguration); alg != "" {
			b.Encryption = Value(alg)
		} else {
			b.Encryption = Absent[string]()
		}
	}
	if out, err := c.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: bucket}); err != nil {
		b.Policy = failField[string](o, err, "bucket policy of "+what)
	} else {
		b.Policy = Value(aws.ToString(out.Policy))
	}
	if r.Tags {
		b.Tags = o.bucketTags(ctx, bucket, what)
	}
	if r.Versions {
		b.Versions = o.countVersions(ctx, bucket, what)
	}
	if objects {
		b.Objects = o.listObjects(ctx, name, logBase)
	}
	return b
}

func pabOf(c *s3types.PublicAccessBlockConfiguration) PublicAccessBlock {
	if c == nil {
		return PublicAccessBlock{}
	}
	return PublicAccessBlock{
		BlockPublicACLs: aws.ToBool(c.BlockPublicAcls), IgnorePublicACLs: aws.ToBool(c.IgnorePublicAcls),
		BlockPublicPolicy: aws.ToBool(c.BlockPublicPolicy), RestrictPublicBuckets: aws.ToBool(c.RestrictPublicBuckets),
	}
}

func defaultSSE(c *s3types.ServerSideEncryptionConfiguration) string {
	if c == nil {
		return ""
	}
	for _, r := range c.Rules {
		if r.ApplyServerSideEncryptionByDefault != nil {
			return string(r.ApplyServerSideEncryptionByDefault.SSEAlgorithm)
		}
	}
	return ""
}

func (o *Observer) bucketTags(ctx context.Context, bucket *string, what string) Field[[]Tag] {
	out, err := o.Clients.S3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: bucket})
	if err != nil {
		// S3 answers NoSuchTagSet for a bucket without tags.
		if code := errorCode(err); code == "NoSuchTagSet" {
			return Value([]Tag{})
		}
		return failField[[]Tag](o, err, "tags of "+what)
	}
	tags := []Tag{}
	for _, t := range out.TagSet {
		tags = append(tags, Tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
	}
	sortTags(tags)
	return Value(tags)
}

func (o *Observer) countVersions(ctx context.Context, bucket *string, what string) Field[int] {
	n := 0
	p := s3.NewListObjectVersionsPaginator(o.Clients.S3, &s3.ListObjectVersionsInput{Bucket: bucket})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return failField[int](o, err, "object versions of "+what)
		}
		n += len(page.Versions) + len(page.DeleteMarkers)
	}
	return Value(n)
}

// listObjects lists the bucket's objects outside the log folder's root.
func (o *Observer) listObjects(ctx context.Context, bucket, logBase string) Field[[]Object] {
	logRoot := strings.SplitN(logBase, "/", 2)[0] + "/"
	objs := []Object{}
	p := s3.NewListObjectsV2Paginator(o.Clients.S3, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return failField[[]Object](o, err, "the objects of s3://"+bucket)
		}
		for _, obj := range page.Contents {
			key := aws.ToString(obj.Key)
			if strings.HasPrefix(key, logRoot) || strings.HasSuffix(key, "/") {
				continue
			}
			objs = append(objs, Object{Key: key, LastModified: aws.ToTime(obj.LastModified).UTC(), Size: aws.ToInt64(obj.Size)})
		}
	}
	return Value(objs)
}

// imageExtensions are the file types the console shows as images.
var imageExtensions = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".bmp": true, ".svg": true}

// ChooseImage picks the image the student uploaded among objects (those
// outside the log folder): the newest image file, else the newest object.
// It says why, when there was a choice to make, and among how many.
func ChooseImage(objects []Object) (key, why string, candidates int) {
	var (
		best    *Object
		bestImg bool
		images  int
	)
	for i := range objects {
		obj := &objects[i]
		img := imageExtensions[strings.ToLower(path.Ext(obj.Key))]
		if img {
			images++
		}
		if best == nil || (img && !bestImg) || (img == bestImg && obj.LastModified.After(best.LastModified)) {
			best, bestImg = obj, img
		}
	}
	if best == nil {
		return "", "", 0
	}
	switch {
	case len(objects) == 1:
		return best.Key, "", 1
	case bestImg && images == 1:
		why = "the only image file among " + fmt.Sprint(len(objects)) + " objects outside the log folder"
	case bestImg:
		why = fmt.Sprintf("the newest of %d image files outside the log folder", images)
	default:
		why = fmt.Sprintf("no image file outside the log folder, so the newest of %d objects", len(objects))
	}
	return best.Key, why, len(objects)
}
