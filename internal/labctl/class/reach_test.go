package class

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/classes"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/testenv/awsstub"
)

// TestReachStack: class status and class clean reach an account with the
// stack file's profile, region and aws:assumeRole, and act only when STS
// says the credentials are the stack's account (allowedAccountIds).
func TestReachStack(t *testing.T) {
	role := &classes.AssumeRole{RoleARN: "arn:aws:iam::111122223333:role/LabAdmin", SessionName: "labctl", ExternalID: "x-1"}
	tests := []struct {
		name        string
		st          classes.Stack
		caller      string
		wantAccount string
		wantErr     []string // each must be in the error
	}{
		{
			name:        "the stack's account",
			st:          classes.Stack{Name: "acct01", Account: "111122223333", Region: "us-east-1", Profile: "acct01", AssumeRole: role},
			caller:      "111122223333",
			wantAccount: "111122223333",
		},
		{
			name:        "no account in the stack file takes the caller's",
			st:          classes.Stack{Name: "acct02", Region: "eu-west-1"},
			caller:      "444455556666",
			wantAccount: "444455556666",
		},
		{
			name:    "credentials of another account",
			st:      classes.Stack{Name: "acct03", Account: "111122223333", Region: "us-east-1"},
			caller:  "444455556666",
			wantErr: []string{"wrong account", "444455556666", "111122223333"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := awsstub.New(t)
			callerARN := "arn:aws:iam::" + tt.caller + ":user/student"
			reg.Register(awsstub.Query("sts", "GetCallerIdentity"), awsstub.Identity(tt.caller, callerARN))
			var got awsclient.Options
			f, _ := reg.Factory("", time.Unix(0, 0), func(o awsclient.Options) { got = o })

			clients, id, err := ReachStack(context.Background(), f.AWS, tt.st, "http://endpoint.invalid")

			assert.Equal(t, tt.st.Profile, got.Profile)
			assert.Equal(t, tt.st.Region, got.Region)
			assert.Equal(t, "http://endpoint.invalid", got.EndpointURL)
			if tt.st.AssumeRole == nil {
				assert.Nil(t, got.AssumeRole)
			} else {
				assert.Equal(t, &awsclient.AssumeRole{RoleARN: role.RoleARN, SessionName: role.SessionName, ExternalID: role.ExternalID}, got.AssumeRole)
			}
			if tt.wantErr != nil {
				require.Error(t, err)
				assert.Nil(t, clients)
				for _, s := range tt.wantErr {
					assert.Contains(t, err.Error(), s)
				}
				return
			}
			require.NoError(t, err)
			assert.NotNil(t, clients)
			assert.Equal(t, tt.wantAccount, id.Account)
			assert.Equal(t, callerARN, id.ARN)
		})
	}
}
