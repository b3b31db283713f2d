package clean

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kms-lab/kms-lab/internal/labctl/labfind"
)

// findKey plans to delete the alias and schedule its key's deletion.
func (c *Cleaner) findKey(ctx context.Context) []*step {
	alias := labfind.AliasName(c.Options.Alias)
	md, err := labfind.Key(ctx, c.Clients.KMS, alias)
	if err != nil {
		if notFound(err) {
			return nil
		}
		return []*step{c.readFailed(typeAlias, alias, "KMS alias "+alias, err)}
	}
	keyID := aws.ToString(md.KeyId)
	stack, err := c.keyStack(ctx, keyID)
	if err != nil {
		return []*step{c.readFailed(typeAlias, alias, "the tags of KMS key "+keyID, err),
			c.readFailed(typeKey, keyID, "the tags of KMS key "+keyID, err)}
	}
	if stack != "" {
		return []*step{stackOwned(typeAlias, alias, stack), stackOwned(typeKey, keyID, stack)}
	}
	others, err := c.otherAliases(ctx, keyID, alias)
	if err != nil {
		return []*step{c.readFailed(typeAlias, alias, "the aliases of KMS key "+keyID, err),
			c.readFailed(typeKey, keyID, "the aliases of KMS key "+keyID, err)}
	}

	a := &step{Action: Action{Type: typeAlias, Name: alias, Action: actionDelete, Status: statusPlanned, Detail: "points to key " + keyID}}
	a.remove = func(ctx context.Context) (string, error) {
		if _, err := c.Clients.KMS.DeleteAlias(ctx, &kms.DeleteAliasInput{AliasName: aws.String(alias)}); err != nil && !notFound(err) {
			return "", err
		}
		return "deleted; it pointed to key " + keyID, nil
	}
	return []*step{a, c.key(md, others)}
}

func (c *Cleaner) key(md *kmstypes.KeyMetadata, others []string) *step {
	keyID := aws.ToString(md.KeyId)
	k := &step{Action: Action{Type: typeKey, Name: keyID}}
	switch {
	case len(others) > 0:
		k.Action.Action, k.Status = actionKeep, statusKept
		k.Detail = fmt.Sprintf("%s also points to it, so it is not only the lab's; delete that alias first if the key should go", strings.Join(others, ", "))
		return k
	case md.KeyManager == kmstypes.KeyManagerTypeAws:
		k.Action.Action, k.Status, k.Detail = actionKeep, statusKept, "an AWS managed key, which AWS deletes"
		return k
	case md.KeyState == kmstypes.KeyStatePendingDeletion || md.KeyState == kmstypes.KeyStatePendingReplicaDeletion:
		k.Action.Action, k.Status = actionNone, statusDone
		k.Detail = "already pending deletion, left as it is"
		if md.DeletionDate != nil {
			k.Detail += "; deleted on " + day(*md.DeletionDate)
		}
		return k
	}
	days := c.Options.KeyDeletionDays
	k.Action.Action, k.Status = actionScheduleDeletion, statusPlanned
	k.Detail = fmt.Sprintf("deletion would take effect on %s, %d days after it is scheduled; a key pending deletion costs nothing",
		day(c.now().Add(time.Duration(days)*24*time.Hour)), days)
	k.remove = func(ctx context.Context) (string, error) {
		out, err := c.Clients.KMS.ScheduleKeyDeletion(ctx, &kms.ScheduleKeyDeletionInput{KeyId: aws.String(keyID), PendingWindowInDays: aws.Int32(int32(days))})
		if err != nil {
			return "", err
		}
		if out.DeletionDate == nil {
			return fmt.Sprintf("deletion scheduled in %d days", days), nil
		}
		return "deletion scheduled: takes effect on " + day(*out.DeletionDate) + "; until then `aws kms cancel-key-deletion` undoes it", nil
	}
	return k
}

// keyStack is the kms-lab:stack tag of the key, "" when it has none.
func (c *Cleaner) keyStack(ctx context.Context, keyID string) (string, error) {
	p := kms.NewListResourceTagsPaginator(c.Clients.KMS, &kms.ListResourceTagsInput{KeyId: aws.String(keyID)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return "", err
		}
		for _, t := range page.Tags {
			if aws.ToString(t.TagKey) == stackTag {
				return aws.ToString(t.TagValue), nil
			}
		}
	}
	return "", nil
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
