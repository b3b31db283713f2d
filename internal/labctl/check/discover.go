package check

import (
	"context"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/labfind"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

// taskItem is an item that belongs to one task.
type taskItem struct {
	task int
	Item
}

// discovery is what check found of the lab, by the guide's names.
type discovery struct {
	key, bucket, trail, object bool
	// keyUnread and bucketUnread say that the key's or the bucket's lookup
	// got no answer (throttled, denied, 5xx): the tasks that need them
	// are unknown, not failed, since nothing was seen of them.
	keyUnread, bucketUnread bool
	keyCreated              time.Time
	uploaded                time.Time
	logBase                 string // [prefix/]AWSLogs/<account>/CloudTrail/
	items                   []taskItem
}

func (d *discovery) add(task int, name string, st Status, detail string) {
	d.items = append(d.items, taskItem{task: task, Item: Item{Name: name, Status: st, Detail: detail}})
}

// fail records a failed check with the student's hint.
func (d *discovery) fail(task int, name, detail, hint string) {
	d.items = append(d.items, taskItem{task: task, Item: Item{Name: name, Status: Fail, Detail: detail, Hint: hint}})
}

// apiProblem records a failed lookup: "not found" fails the task with the
// hint, anything else leaves it unknown. It reports whether the lookup got
// no answer.
func (d *discovery) apiProblem(task int, name string, err error, t awsclient.Target, what, notFound, hint string) (unread bool) {
	if awsclient.Classify(err) == awsclient.KindNotFound {
		d.fail(task, name, notFound, hint)
		return false
	}
	t.What = what
	d.items = append(d.items, taskItem{task: task, Item: Item{Name: name, Status: Unknown, denied: true,
		Detail: awsclient.Explain(err, t).Error()}})
	return true
}

// imageExtensions are the file types the console shows as images.
var imageExtensions = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".bmp": true, ".svg": true}

// discover finds the key by alias, the trail by name, the bucket through
// the trail (or by its name's prefix), with labfind, the discovery labctl
// clean shares, and the image in the bucket, and fills o with what it
// found.
func (g *Grader) discover(ctx context.Context, o *stackout.Outputs, n names, t awsclient.Target) discovery {
	c := g.Clients
	var d discovery

	if md, err := labfind.Key(ctx, c.KMS, o.KeyAlias); err != nil {
		d.keyUnread = d.apiProblem(1, "key.alias", err, t, "KMS alias "+o.KeyAlias,
			fmt.Sprintf("no key has the alias %s in %s", o.KeyAlias, o.Region), "create a symmetric key with alias "+n.alias+" (task 1)")
	} else {
		o.KeyID, o.KeyARN = aws.ToString(md.KeyId), aws.ToString(md.Arn)
		d.key, d.keyCreated = true, aws.ToTime(md.CreationDate)
	}

	var prefix string
	if trail, err := labfind.FindTrail(ctx, c.CloudTrail, n.trail); err != nil {
		d.bucketUnread = d.apiProblem(2, "trail.exists", err, t, "CloudTrail trail "+n.trail,
			fmt.Sprintf("no trail named %s in %s, nor a multi-region trail of that name homed in another region", n.trail, o.Region), "create the trail "+n.trail+" in CloudTrail (task 2)")
	} else {
		o.TrailARN, o.BucketName = aws.ToString(trail.TrailARN), aws.ToString(trail.S3BucketName)
		prefix = aws.ToString(trail.S3KeyPrefix)
		d.trail, d.bucket = true, o.BucketName != ""
	}
	if !d.bucket {
		g.findBucket(ctx, o, n, t, &d)
	}
	d.logBase = fmt.Sprintf("AWSLogs/%s/CloudTrail/", o.AccountID)
	if prefix != "" {
		d.logBase = strings.TrimSuffix(prefix, "/") + "/" + d.logBase
	}
	o.LogPrefix = d.logBase + o.Region + "/"

	switch {
	case d.bucket:
		g.findImage(ctx, o, n, t, &d)
	case d.bucketUnread:
		for _, task := range []int{3, 4} {
			d.add(task, "object.exists", Unknown, "the trail bucket could not be looked up (see task 2); retry in a minute")
		}
	default:
		d.add(3, "object.exists", Fail, "no trail bucket to look in (task 2 first)")
		d.add(4, "object.exists", Fail, "no trail bucket to look in (task 2 first)")
	}
	if !d.key {
		st, detail := Fail, fmt.Sprintf("needs task 1's key (alias %s), which was not found", o.KeyAlias)
		if d.keyUnread {
			st, detail = Unknown, fmt.Sprintf("needs task 1's key (alias %s), which could not be read (see task 1); retry in a minute", o.KeyAlias)
		}
		for _, task := range []int{3, 5, 6} {
			d.add(task, "key.found", st, detail)
		}
	}
	return d
}

// findBucket looks for the trail bucket by its name's prefix when there is
// no trail to name it.
func (g *Grader) findBucket(ctx context.Context, o *stackout.Outputs, n names, t awsclient.Target, d *discovery) {
	buckets, err := labfind.Buckets(ctx, g.Clients.S3, n.bucketPrefix)
	if err != nil {
		d.bucketUnread = d.apiProblem(2, "bucket.exists", err, t, "the account's S3 buckets", "", "") || d.bucketUnread
		return
	}
	found := make([]string, len(buckets))
	for i, b := range buckets {
		found[i] = b.Name
	}
	switch len(found) {
	case 0:
		d.fail(2, "bucket.exists", fmt.Sprintf("no bucket named %sNUMBER", n.bucketPrefix), "create it in the trail's Storage location (task 2, step 4)")
	case 1:
		o.BucketName, d.bucket = found[0], true
	default:
		d.add(2, "bucket.exists", Fail, fmt.Sprintf("several buckets start with %s (%s) and no trail %s names one", n.bucketPrefix, strings.Join(found, ", "), n.trail))
	}
}

// findImage picks the image the student uploaded: the newest object
// outside the trail's log folder, preferring image file types.
func (g *Grader) findImage(ctx context.Context, o *stackout.Outputs, n names, t awsclient.Target, d *discovery) {
	logRoot := strings.SplitN(d.logBase, "/", 2)[0] + "/"
	p := s3.NewListObjectsV2Paginator(g.Clients.S3, &s3.ListObjectsV2Input{Bucket: aws.String(o.BucketName)})
	var (
		best     string
		bestTime time.Time
		bestImg  bool
	)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			d.apiProblem(3, "object.exists", err, t, "the objects of s3://"+o.BucketName, "bucket "+o.BucketName+" disappeared while listing it", "")
			return
		}
		for _, obj := range page.Contents {
			key := aws.ToString(obj.Key)
			if strings.HasPrefix(key, logRoot) || strings.HasSuffix(key, "/") {
				continue
			}
			img := imageExtensions[strings.ToLower(path.Ext(key))]
			mod := aws.ToTime(obj.LastModified)
			if best == "" || (img && !bestImg) || (img == bestImg && mod.After(bestTime)) {
				best, bestTime, bestImg = key, mod, img
			}
		}
	}
	if best == "" {
		d.fail(3, "object.exists", fmt.Sprintf("no image in s3://%s outside %s", o.BucketName, logRoot), "upload an image with SSE-KMS and "+n.alias+" (task 3)")
		d.add(4, "object.exists", Fail, "no image to make public (task 3 first)")
		return
	}
	o.ObjectKey, d.object, d.uploaded = best, true, bestTime
	o.ObjectURL = fmt.Sprintf("https://%s.s3.%s.amazonaws.com/%s", o.BucketName, o.Region, best)
	d.add(3, "object.exists", Pass, "s3://"+o.BucketName+"/"+best)
}
