package labctl_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
	"github.com/kms-lab/kms-lab/internal/testenv/motoserver"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// handLab is a lab a student did by hand in the console, in region, with
// the trail created while the console was in trailRegion.
type handLab struct {
	*lab
	student  string
	trailARN string
}

// newHandLab does the lab's tasks as the console does them, in the test's
// own account. A multi-region trail created while the console is in
// trailRegion is homed there (AWS CloudTrail User Guide, "How shadow trails
// work": "the Region where you created the trail is the home Region"); the
// lab's region then sees it as a shadow trail.
func newHandLab(t *testing.T, moto *motoserver.Server, trailRegion string) *handLab {
	t.Helper()
	ctx := context.Background()
	s, err := mototest.AssumeRole(ctx, moto.URL, region,
		"arn:aws:iam::"+mototest.AccountFor(t, accountLead)+":role/"+deployerRole, "console")
	require.NoError(t, err)
	creds, err := s.Config.Credentials.Retrieve(ctx)
	require.NoError(t, err)
	console := handlab.ConsoleOf(s)
	h := handlab.Build(t, console, handlab.Options{TrailRegion: trailRegion,
		Student: "arn:aws:iam::" + s.AccountID + ":user/" + studentName})
	return &handLab{lab: &lab{account: h.Account, caller: s.CallerARN, credentials: creds, sdk: console,
		keyID: h.KeyID, keyARN: h.KeyARN, alias: h.Alias, bucket: h.Bucket, objectKey: h.ObjectKey, trailName: h.TrailName},
		student: h.Student, trailARN: h.TrailARN}
}
