package account

// Skip names reads that every command otherwise makes and that a command
// does not judge, so that it pays for none of them. clean decides what
// belongs to the lab and what a delete removes: it needs neither the
// image nor how the key and the buckets are configured.
type Skip struct {
	// Image: the lab bucket's objects (the image's choice), the image's
	// head and ACL, and the anonymous GET.
	Image bool
	// KeyPolicy: the key policy.
	KeyPolicy bool
	// TrailStatus: whether the lab's trail is logging.
	TrailStatus bool
	// BucketSettings: s3:HeadBucket, the ownership controls and Block
	// Public Access. Exists is then not read, and is "not found" only when
	// a later read of the bucket answers NoSuchBucket.
	BucketSettings bool
	// TrailBucket: the lab trail's bucket when its name lacks the prefix
	// (with PrefixBuckets, those with the prefix are read anyway).
	TrailBucket bool
}
