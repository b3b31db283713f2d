package labctlclean_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// KMS waits 7 to 30 days before deleting a key (AWS KMS API Reference,
// ScheduleKeyDeletion, PendingWindowInDays: minimum 7, maximum 30). At 7
// and 30 the key is scheduled that many days after the call; at 6 and 31
// clean refuses the flag as a usage error (exit 2) before any call, and
// the key is untouched.
func TestCleanKeyDeletionWindow(t *testing.T) {
	for _, tt := range []struct {
		days int
		code int
	}{{7, 0}, {30, 0}, {6, 2}, {31, 2}} {
		t.Run(fmt.Sprintf("%d days", tt.days), func(t *testing.T) {
			t.Parallel()
			moto := shared.Need(t)
			account := mototest.AccountFor(t, 5)
			c := accountSDK(t, moto.URL, account, region)
			keyID, _ := c.CreateKey(t, "alias/myFirstKey", handlab.Student(account))

			before := time.Now()
			out, stderr, code := runClean(t, connector(account, ""), moto.URL, "--yes", "--key-deletion-days", fmt.Sprint(tt.days))
			after := time.Now()
			require.Equal(t, tt.code, code, "stdout: %s; stderr: %s", out, stderr)

			d, err := c.KMS.DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String(keyID)})
			require.NoError(t, err)
			md := d.KeyMetadata
			if tt.code != 0 {
				assert.Contains(t, stderr, fmt.Sprintf("--key-deletion-days %d: KMS waits 7 to 30 days before deleting a key", tt.days))
				assert.Equal(t, "Enabled", string(md.KeyState), "a refused flag touches nothing")
				return
			}
			assert.Equal(t, "PendingDeletion", string(md.KeyState))
			require.NotNil(t, md.DeletionDate)
			window := time.Duration(tt.days) * 24 * time.Hour
			// The date is the call's time plus the window; KMS reports it to
			// the second.
			assert.False(t, md.DeletionDate.Before(before.Add(window).Truncate(time.Second)), "deletion date %s", md.DeletionDate)
			assert.False(t, md.DeletionDate.After(after.Add(window)), "deletion date %s", md.DeletionDate)
		})
	}
}
