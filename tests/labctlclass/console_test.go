package labctlclass_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/testenv/handlab"
	"github.com/kms-lab/kms-lab/internal/testenv/mototest"
)

// instructorRole is the role every stack file assumes in its lab account.
const instructorRole = "kms-lab-instructor"

// accountClients is a student's console session in account, through
// moto's sts:AssumeRole, which gives the session that account's resources
// (verified with the moto installed here: a key created through the
// session has the account in its ARN, and the default account does not see
// it). The default account's own session uses moto's static test
// credentials.
func accountClients(t testing.TB, endpoint, account, region string) *handlab.Console {
	t.Helper()
	cfg := aws.Config{Region: region, BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}
	if account != "123456789012" {
		s, err := mototest.AssumeRole(context.Background(), endpoint, region, fmt.Sprintf("arn:aws:iam::%s:role/%s", account, instructorRole), "console")
		require.NoError(t, err, "AssumeRole")
		cfg = s.Config
	}
	return handlab.NewConsole(cfg, account)
}

// accountSession returns access key, secret and token of a session in
// account (moto's sts:AssumeRole).
func accountSession(t testing.TB, endpoint, account string) [3]string {
	t.Helper()
	s, err := mototest.AssumeRole(context.Background(), endpoint, "us-east-1", fmt.Sprintf("arn:aws:iam::%s:role/%s", account, instructorRole), "checker")
	require.NoError(t, err, "AssumeRole")
	return [3]string{s.Credentials.AccessKeyID, s.Credentials.SecretAccessKey, s.Credentials.SessionToken}
}

// callerARN is who moto's static test credentials are.
func callerARN(t testing.TB, endpoint string) string {
	t.Helper()
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	require.NoError(t, err, "GetCallerIdentity")
	return aws.ToString(out.Arn)
}
