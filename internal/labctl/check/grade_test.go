package check

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/cmdutil"
	"github.com/kms-lab/kms-lab/internal/labctl/events"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

// TestResolveStudent: the default student is the caller only when it is an
// IAM user or role, the principals a key policy's key users can be (AWS
// KMS Developer Guide, "Default key policy": key users are IAM users and
// roles). Anything else asks for --student, with exit code 2.
func TestResolveStudent(t *testing.T) {
	tests := []struct {
		name, flag, caller string
		want               string
		err                []string
	}{
		{"IAM user", "", "arn:aws:iam::111122223333:user/AWSLabsUser-abc", "arn:aws:iam::111122223333:user/AWSLabsUser-abc", nil},
		{"assumed role counts as its role", "", "arn:aws:sts::111122223333:assumed-role/AWSLabsUser-abc/s", "arn:aws:iam::111122223333:role/AWSLabsUser-abc", nil},
		{"--student wins", student, "arn:aws:iam::111122223333:root", student, nil},
		{"root user", "", "arn:aws:iam::111122223333:root", "",
			[]string{"--student is required: the caller arn:aws:iam::111122223333:root is the account's root user, not an IAM user or role", "arn:aws:iam::111122223333:user/AWSLabsUser-NAME"}},
		{"federated user", "", "arn:aws:sts::111122223333:federated-user/someone", "",
			[]string{"is a federated user, not an IAM user or role", "pass --student"}},
		{"an emulator's made-up caller", "", "arn:aws:sts::123456789012:user/moto", "",
			[]string{"the caller arn:aws:sts::123456789012:user/moto is not an IAM user or role"}},
		{"China partition", "", "arn:aws-cn:iam::111122223333:root", "", []string{"(arn:aws-cn:iam::111122223333:user/AWSLabsUser-NAME)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := awsclient.Identity{Account: "111122223333", ARN: tt.caller}
			if tt.caller == "arn:aws:sts::123456789012:user/moto" {
				id.Account = "123456789012"
			}
			got, err := resolveStudent(tt.flag, id)
			if tt.err == nil {
				require.NoError(t, err)
				assert.Equal(t, tt.want, got)
				return
			}
			require.Error(t, err)
			var fe *cmdutil.FlagError
			assert.True(t, errors.As(err, &fe), "a flag error: %T", err)
			code, printed := cmdutil.ExitCode(err)
			assert.Equal(t, cmdutil.ExitError, code)
			assert.True(t, printed)
			for _, s := range tt.err {
				assert.Contains(t, err.Error(), s)
			}
		})
	}
}

// TestMessagesSayWhereSinceCameFrom: labctl check's --since defaults to the
// key's creation (its help), and a message that names the time says which
// it is (issue 17, "--since confusion").
func TestMessagesSayWhereSinceCameFrom(t *testing.T) {
	created := time.Date(2026, 11, 26, 17, 20, 13, 0, time.UTC)
	uploaded := created.Add(3 * time.Minute)
	now := created.Add(10 * time.Minute)
	given := time.Date(2026, 11, 26, 16, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		since time.Time
		d     discovery
		want  string
	}{
		{"default, no image", time.Time{}, discovery{key: true, keyCreated: created},
			"no log file delivered yet since the key's creation, 2026-11-26T17:20:13Z;"},
		{"default, with the image", time.Time{}, discovery{key: true, object: true, keyCreated: created, uploaded: uploaded},
			"no log file delivered yet since the image's upload, 2026-11-26T17:23:13Z;"},
		{"--since before the key", given, discovery{key: true, keyCreated: created},
			"no log file delivered yet since --since, 2026-11-26T16:00:00Z;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := &Grader{Options: Options{Since: tt.since}}
			w := g.readWindow(tt.d)
			o := &stackout.Outputs{KeyID: "k", ObjectKey: "Eiffel.jpg"}
			items := g.task5(o, tt.d, w, &events.Result{}, time.Time{}, now)
			require.NotEmpty(t, items)
			assert.Equal(t, Unknown, items[0].Status)
			assert.Contains(t, items[0].Detail, tt.want)
		})
	}
	// The default window reads from before the creation, where the
	// CreateKey record, stamped with its request's time, can be.
	w := (&Grader{}).readWindow(discovery{keyCreated: created})
	assert.True(t, w.since.Before(created), "reads from %s", w.since)
	assert.Equal(t, "the key's creation, 2026-11-26T17:20:13Z", w.String())
}
