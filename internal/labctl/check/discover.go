package check

import (
	"fmt"
	"strings"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

// taskItem is a check of one task.
type taskItem struct {
	task int
	report.Check
	// unread marks an unknown a failed read caused (denied, throttled,
	// 5xx), not time: the report's outcome is then unknown rather than fail.
	unread bool
}

// discovery is what the snapshot shows of the lab, by the guide's names.
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
	d.items = append(d.items, taskItem{task: task, Check: report.Check{Name: name, Status: st, Detail: detail}})
}

// fail records a failed check with the student's hint.
func (d *discovery) fail(task int, name, detail, hint string) {
	d.items = append(d.items, taskItem{task: task, Check: report.Check{Name: name, Status: Fail, Detail: detail, Hint: hint}})
}

// unread records a lookup that got no answer: the task is unknown, with
// the read error's message (why, and when to retry).
func (d *discovery) unread(task int, name string, e *account.ReadError) {
	detail := "not read"
	if e != nil {
		detail = e.Message
	}
	d.items = append(d.items, taskItem{task: task, Check: report.Check{Name: name, Status: Unknown, Detail: detail}, unread: true})
}

// discover finds, in the snapshot, the key by its alias, the trail by its
// name, the bucket through the trail (or by its name's prefix) and the
// image in the bucket, and fills o with what it found.
func discover(s *account.Snapshot, o *stackout.Outputs, n names) discovery {
	var d discovery

	switch md := s.Key.Metadata; md.State {
	case account.Read:
		o.KeyID, o.KeyARN = md.Value.ID, md.Value.ARN
		d.key, d.keyCreated = true, md.Value.Created
	case account.NotFound:
		d.fail(1, "key.alias", fmt.Sprintf("no key has the alias %s in %s", o.KeyAlias, o.Region), "create a symmetric key with alias "+n.alias+" (task 1)")
	default:
		d.unread(1, "key.alias", md.Error)
		d.keyUnread = true
	}

	trail := s.LabTrail()
	switch {
	case !s.Trails.OK():
		d.unread(2, "trail.exists", s.Trails.Error)
		d.bucketUnread = true
	case trail == nil:
		d.fail(2, "trail.exists", fmt.Sprintf("no trail named %s in %s, nor a multi-region trail of that name homed in another region", n.trail, o.Region),
			"create the trail "+n.trail+" in CloudTrail (task 2)")
	default:
		o.TrailARN, o.BucketName = trail.ARN, trail.Bucket
		d.trail, d.bucket = true, o.BucketName != ""
	}
	if !d.bucket {
		findBucket(s, o, n, &d)
	}
	d.logBase = s.LogBase()
	o.LogPrefix = d.logBase + o.Region + "/"

	switch {
	case d.bucket:
		findImage(s, o, n, &d)
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
func findBucket(s *account.Snapshot, o *stackout.Outputs, n names, d *discovery) {
	list := s.BucketList
	if !list.OK() {
		d.unread(2, "bucket.exists", list.Error)
		d.bucketUnread = true
		return
	}
	found := make([]string, len(list.Value))
	for i, b := range list.Value {
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

// findImage takes the image the observer chose among the bucket's objects
// (account.ChooseImage: the newest image file outside the trail's log
// folder) and says which it is and, when there was a choice, why.
func findImage(s *account.Snapshot, o *stackout.Outputs, n names, d *discovery) {
	logRoot := strings.SplitN(d.logBase, "/", 2)[0] + "/"
	b := s.Bucket(o.BucketName)
	// Task 4 makes task 3's image public: without an image found, neither
	// task can pass.
	if b == nil {
		d.unread(3, "object.exists", nil)
		d.add(4, "object.exists", Unknown, "the image could not be looked for (see task 3)")
		return
	}
	// The bucket, then its listing: each was read, not there, or unread.
	for _, read := range []struct {
		state account.State
		err   *account.ReadError
		gone  string
	}{
		{b.Exists.State, b.Exists.Error, "does not exist (see task 2)"},
		{b.Objects.State, b.Objects.Error, "disappeared while listing it"},
	} {
		switch read.state {
		case account.Read:
			continue
		case account.NotFound:
			d.fail(3, "object.exists", "bucket "+o.BucketName+" "+read.gone, "")
			d.add(4, "object.exists", Fail, "no image to make public (task 3 first)")
		default:
			d.unread(3, "object.exists", read.err)
			d.add(4, "object.exists", Unknown, "the image could not be looked for (see task 3); retry in a minute")
		}
		return
	}
	img := s.Image
	if img.Key == "" {
		d.fail(3, "object.exists", fmt.Sprintf("no image in s3://%s outside %s", o.BucketName, logRoot), "upload an image with SSE-KMS and "+n.alias+" (task 3)")
		d.add(4, "object.exists", Fail, "no image to make public (task 3 first)")
		return
	}
	for _, obj := range b.Objects.Value {
		if obj.Key == img.Key {
			d.uploaded = obj.LastModified
		}
	}
	o.ObjectKey, d.object = img.Key, true
	o.ObjectURL = fmt.Sprintf("https://%s.s3.%s.amazonaws.com/%s", o.BucketName, o.Region, img.Key)
	detail := "s3://" + o.BucketName + "/" + img.Key
	if img.Chosen != "" {
		detail += " (" + img.Chosen + ")"
	}
	d.add(3, "object.exists", Pass, detail)
}
