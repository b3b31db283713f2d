package handlab

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/console"
)

// Breakage is what a student left undone or did differently; the zero
// value is every task done as the guide says.
type Breakage struct {
	NoInsights    bool // task 2: did not select Insights events
	ImageSSES3    bool // task 3: kept the bucket's default encryption (SSE-S3)
	NotPublic     bool // task 4: left Block Public Access, Object Ownership and the image's ACL as they were
	NeverRestored bool // task 6: removed themselves as a key user and never added themselves back
}

// Options say how the student did the lab. The zero value is the whole lab
// done in the console's region.
type Options struct {
	// Student is the IAM user who does the lab, the key's administrator
	// and user; by default Student(account).
	Student string
	// Bucket is the trail's new bucket, mycloudtrailbucketNUMBER in the
	// guide (task 2, step 4); by default NUMBER is the account ID.
	Bucket string
	// TrailRegion is where the console was when the student created the
	// trail, and so its home region and its new bucket's region; by
	// default the console's region.
	TrailRegion string
	// Through is the last task done, in the guide's order; 0 is all six.
	// Task 5 only reads the log files, so it makes no call.
	Through int
	Break   Breakage
	// LogFiles is how many log files without records CloudTrail has
	// delivered for the lab's region (Console.PutLogFiles).
	LogFiles int
}

// Lab is a lab done by hand, with the names the student chose and the
// IDs AWS gave.
type Lab struct {
	Console             *Console // the student's session, in the lab's region
	Account, Region     string
	Student             string
	KeyID, KeyARN       string
	Alias               string
	Bucket, ObjectKey   string
	TrailName, TrailARN string
	Break               Breakage
}

// Student is the lab's IAM user in account: the guide's users start with
// "AWSLabsUser-" (task 1, step 7); the rest is the account's first four
// digits.
func Student(account string) string {
	return "arn:aws:iam::" + account + ":user/AWSLabsUser-" + account[:4]
}

// image1x1 is a 1x1 PNG: the object is an image, as in the lab.
func image1x1() []byte {
	var b bytes.Buffer
	_ = png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1))) // a Buffer takes every write
	return b.Bytes()
}

// Build does the lab guide's tasks in c's account as the console does them,
// with the same API calls in the same order, directly on moto, leaving out
// or changing what o says.
func Build(t testing.TB, c *Console, o Options) *Lab {
	t.Helper()
	ctx := context.Background()
	l := &Lab{Console: c, Account: c.Account, Region: c.Region, Student: o.Student, Alias: "alias/myFirstKey",
		Bucket: o.Bucket, ObjectKey: "Eiffel.jpg", TrailName: "myTrail", Break: o.Break}
	if l.Student == "" {
		l.Student = Student(c.Account)
	}
	if l.Bucket == "" {
		l.Bucket = "mycloudtrailbucket" + c.Account
	}
	done := func(task int) bool { return o.Through == 0 || task <= o.Through }

	// Task 1: myFirstKey, the student as key administrator (step 7) and
	// key user (step 9).
	l.KeyID, l.KeyARN = c.CreateKey(t, l.Alias, l.Student)

	// Task 2: myTrail and its new bucket, with the console in TrailRegion.
	trailConsole := c
	if o.TrailRegion != "" && o.TrailRegion != c.Region {
		trailConsole = c.In(o.TrailRegion)
	}
	if done(2) {
		l.TrailARN = trailConsole.CreateTrail(t, l.TrailName, l.Bucket, o.Break.NoInsights)
	}

	// Task 3: the image, SSE-KMS with myFirstKey, or left at the bucket's
	// settings.
	if done(3) {
		sse := s3types.ServerSideEncryptionAwsKms
		if o.Break.ImageSSES3 {
			sse = s3types.ServerSideEncryptionAes256
		}
		l.UploadImage(t, sse)
	}

	// Task 4: Block all public access off (steps 8 to 10), ACLs enabled
	// (steps 11 to 14), Make public using ACL (steps 15 to 18).
	if done(4) && !o.Break.NotPublic {
		c.publicAccess(t, l.Bucket, false)
		_, err := c.S3.PutObjectAcl(ctx, &s3.PutObjectAclInput{Bucket: aws.String(l.Bucket), Key: aws.String(l.ObjectKey), ACL: s3types.ObjectCannedACLPublicRead})
		require.NoError(t, err, "PutObjectAcl %s in %s", l.ObjectKey, c.Account)
	}

	// Task 6: Key users > Remove (steps 5 and 6), then Add (steps 7 and
	// 8): the console puts the whole key policy each time.
	if done(6) {
		users := [][]string{nil, {l.Student}}
		if o.Break.NeverRestored {
			users = users[:1]
		}
		for _, u := range users {
			_, err := c.KMS.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{KeyId: aws.String(l.KeyID), PolicyName: aws.String("default"),
				Policy: aws.String(console.KeyPolicy(c.Account, l.Student, u))})
			require.NoError(t, err, "PutKeyPolicy with key users %v in %s", u, c.Account)
		}
	}
	if o.LogFiles > 0 {
		c.PutLogFiles(t, l.Bucket, o.LogFiles)
	}
	return l
}

// UploadImage is task 3, steps 3 to 12: the image uploaded with sse. With
// "Override bucket settings for default encryption", SSE-KMS and
// myFirstKey (steps 8 to 11) it is aws:kms with the key; left at the
// bucket's settings, S3 encrypts it with SSE-S3 (AES256), which moto does
// not apply by itself, so the call asks for it.
func (l *Lab) UploadImage(t testing.TB, sse s3types.ServerSideEncryption) {
	t.Helper()
	put := &s3.PutObjectInput{Bucket: aws.String(l.Bucket), Key: aws.String(l.ObjectKey), Body: bytes.NewReader(image1x1()),
		ContentType: aws.String("image/jpeg"), ServerSideEncryption: sse}
	if sse == s3types.ServerSideEncryptionAwsKms {
		put.SSEKMSKeyId = aws.String(l.KeyARN)
	}
	_, err := l.Console.S3.PutObject(context.Background(), put)
	require.NoError(t, err, "PutObject %s in %s", l.ObjectKey, l.Account)
}
