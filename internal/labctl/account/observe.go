package account

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// Reads says which of the optional reads a command needs: a command reads
// only what it judges.
type Reads struct {
	KeyRotation      bool // verify: the key's rotation
	BucketEncryption bool // verify: the bucket's default encryption
	Logs             bool // check: the log window and the event history (tasks 5 and 6)
	Tags             bool // clean: the key's, the trails' and the buckets' tags
	Versions         bool // clean: the count of the buckets' object versions
	Aliases          bool // clean: every alias of the key
	PrefixBuckets    bool // clean: every bucket with the prefix read in detail
}

// Request is what to observe.
type Request struct {
	Command string // "check" or "verify", recorded in the snapshot
	Names   Names
	Reads   Reads
	// Since starts the log window; zero means from the key's creation.
	Since time.Time
	// Tool is labctl's version, recorded in the snapshot.
	Tool string
}

// Observer reads one lab account into a Snapshot.
type Observer struct {
	Clients  *awsclient.Clients
	Identity awsclient.Identity
	// HTTP makes the anonymous GET; it must not follow redirects, so the
	// first answer is the one recorded.
	HTTP *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Partition is the account's partition ("aws" when empty).
	Partition string
}

func (o *Observer) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// target words a failed read of what.
func (o *Observer) target(what string) awsclient.Target {
	return awsclient.Target{What: what, Region: o.Clients.Region, Account: o.Identity.Account, Caller: o.Identity.ARN, Endpoint: o.Clients.Endpoint}
}

// fail makes the field of a read of what that returned err.
func failField[T any](o *Observer, err error, what string) Field[T] {
	return FromError[T](err, o.target(what), o.now())
}

// Observe reads everything req asks for. It returns no error: every
// failed read is recorded in its field.
func (o *Observer) Observe(ctx context.Context, req Request) *Snapshot {
	partition := o.Partition
	if partition == "" {
		partition = partitionOf(o.Identity.ARN)
	}
	s := &Snapshot{Version: Version, Names: req.Names, Taken: Taken{
		By: o.Identity.ARN, Account: o.Identity.Account, Region: o.Clients.Region, Partition: partition,
		At: o.now().UTC(), Endpoint: o.Clients.Endpoint, Tool: req.Tool, Command: req.Command,
	}}
	s.Names.Alias = aliasName(s.Names.Alias)
	var wg sync.WaitGroup
	wg.Go(func() { o.observeKey(ctx, s, req.Reads) })
	wg.Go(func() {
		// The trail names the bucket, and the bucket holds the image.
		o.observeTrails(ctx, s, req.Reads)
		o.observeBuckets(ctx, s, req.Reads)
	})
	wg.Wait()
	var img sync.WaitGroup
	img.Go(func() { o.observeImage(ctx, s) })
	if req.Reads.Logs {
		img.Go(func() { o.observeLogs(ctx, s, req.Since) })
	}
	img.Wait()
	return s
}

// aliasName is the alias as KMS names it: "alias/" and the name.
func aliasName(alias string) string {
	if alias == "" || strings.HasPrefix(alias, "alias/") {
		return alias
	}
	return "alias/" + alias
}

func partitionOf(arn string) string {
	if parts := strings.SplitN(arn, ":", 3); len(parts) == 3 && parts[1] != "" {
		return parts[1]
	}
	return "aws"
}
