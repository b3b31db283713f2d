package mototest

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Session is an emulator identity in an account of the test's choosing.
type Session struct {
	// Config reaches the emulator with the session's credentials.
	Config aws.Config
	// AccountID and CallerARN are what GetCallerIdentity answered.
	AccountID string
	CallerARN string
	// The session's credentials, for a process started by the test (the
	// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN
	// environment variables).
	Credentials aws.Credentials
}

// AssumeRole assumes roleARN on the emulator at endpoint and returns the
// session. moto lets any caller assume a role in any account, and gives the
// session that account's resources, so each test can have an account of its
// own on one shared server: names such as alias/myFirstKey or myTrail, unique
// per account and region in AWS, then never collide between tests.
func AssumeRole(ctx context.Context, endpoint, region, roleARN, sessionName string) (*Session, error) {
	role, err := arn.Parse(roleARN)
	if err != nil || role.Service != "iam" {
		return nil, fmt.Errorf("mototest: role %q is not an IAM role ARN", roleARN)
	}
	base := aws.Config{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: aws.String(endpoint),
	}
	out, err := sts.NewFromConfig(base).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleARN), RoleSessionName: aws.String(sessionName)})
	if err != nil {
		return nil, fmt.Errorf("mototest: assuming %s: %w", roleARN, err)
	}
	c := out.Credentials
	creds := aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken: aws.ToString(c.SessionToken), Source: "emulator AssumeRole"}
	cfg := base.Copy()
	cfg.Credentials = credentials.StaticCredentialsProvider{Value: creds}
	who, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return nil, fmt.Errorf("mototest: identity of the %s session: %w", roleARN, err)
	}
	s := &Session{Config: cfg, AccountID: aws.ToString(who.Account), CallerARN: aws.ToString(who.Arn), Credentials: creds}
	if s.AccountID != role.AccountID {
		return nil, fmt.Errorf("mototest: the %s session is in account %s, not the role's: this emulator does not switch accounts on AssumeRole", roleARN, s.AccountID)
	}
	return s, nil
}
