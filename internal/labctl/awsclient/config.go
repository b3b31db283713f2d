// Package awsclient builds the AWS SDK clients labctl uses from the standard
// credential chain and turns AWS failures into one-line, actionable errors.
package awsclient

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
)

// Options are the connection flags every labctl subcommand takes.
type Options struct {
	Profile     string // --profile; empty means AWS_PROFILE or "default"
	Region      string // --region; empty means the stack's region
	EndpointURL string // --endpoint-url, for emulators
	// AssumeRole, when set, is assumed with the credentials found above
	// (a stack's aws:assumeRole, as labctl class status reaches each lab
	// account).
	AssumeRole *AssumeRole
	// Retry bounds the retries of throttled, failed and timed-out calls;
	// zero fields take DefaultRetry's.
	Retry Retry
}

// Clients are the service clients for one account and region.
type Clients struct {
	Region string
	// Endpoint is the custom endpoint in use, or "" for AWS itself. With one,
	// S3 is addressed path-style, since emulators do not serve per-bucket
	// host names.
	Endpoint   string
	S3         *s3.Client
	KMS        *kms.Client
	CloudTrail *cloudtrail.Client
	STS        *sts.Client
	// IAM and S3Control are for preflight: who the deployer is, whether the
	// key's principals exist, and the account's Block Public Access.
	IAM       *iam.Client
	S3Control *s3control.Client
}

// Identity is who the credentials belong to.
type Identity struct {
	Account string
	ARN     string
}

// Connector connects to one account and region: opts's profile, endpoint
// and role on top of the standard credential chain; stackRegion is used
// where opts.Region is empty. New is the real one; the one type every
// command and runner takes, so that a test hands them all the same stub.
type Connector func(ctx context.Context, opts Options, stackRegion string) (*Clients, error)

// New loads the configuration through the standard chain (environment,
// shared config and credentials files, SSO, container and instance roles)
// and makes sure credentials can be had before any call is made, so that
// "no credentials" is reported once and plainly. stackRegion is used when
// opts.Region is empty: the lab's resources live there whatever the
// profile's default region is.
func New(ctx context.Context, opts Options, stackRegion string) (*Clients, error) {
	cfg, err := LoadConfig(ctx, opts, stackRegion)
	if err != nil {
		return nil, err
	}
	endpoint := opts.EndpointURL
	if endpoint == "" && cfg.BaseEndpoint != nil {
		// AWS_ENDPOINT_URL in the environment or the profile.
		endpoint = *cfg.BaseEndpoint
	}
	return FromConfig(cfg, endpoint), nil
}

// LoadConfig is New's first half: the AWS configuration for opts, with
// credentials checked and opts.AssumeRole assumed.
func LoadConfig(ctx context.Context, opts Options, stackRegion string) (aws.Config, error) {
	region := opts.Region
	if region == "" {
		region = stackRegion
	}
	if opts.Region != "" && stackRegion != "" && opts.Region != stackRegion {
		return aws.Config{}, &Error{Msg: fmt.Sprintf(
			"wrong region: --region %s, but the stack's key, bucket and trail are in %s (outputs \"region\"); drop --region or pass --region %s",
			opts.Region, stackRegion, stackRegion)}
	}
	loadOpts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		// labctl reports failures itself, in one line; the SDK's own log
		// lines (retries, IMDS fallbacks) would only clutter stderr.
		config.WithLogger(logging.Nop{}),
	}
	// Retries of throttling, 5xx and timeouts, within a budget per call
	// (retry.go); the SDK's default HTTP client has no timeout at all.
	loadOpts = append(loadOpts, opts.Retry.loadOptions()...)
	if opts.Profile != "" {
		loadOpts = append(loadOpts, config.WithSharedConfigProfile(opts.Profile))
	}
	if opts.EndpointURL != "" {
		loadOpts = append(loadOpts, config.WithBaseEndpoint(opts.EndpointURL))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return aws.Config{}, configError(opts.Profile, err)
	}
	opts.Retry.setRetryer(&cfg)
	if err := checkCredentials(ctx, cfg, opts.Profile); err != nil {
		return aws.Config{}, err
	}
	if opts.AssumeRole != nil {
		if cfg.Credentials, err = opts.AssumeRole.assume(ctx, cfg); err != nil {
			return aws.Config{}, err
		}
	}
	return cfg, nil
}

// FromConfig builds the service clients on cfg; a test passes a cfg whose
// HTTPClient answers from stubs. endpoint is the custom endpoint in use
// ("" for AWS itself); with one, S3 is addressed path-style and S3 Control
// without the account ID in the host name.
func FromConfig(cfg aws.Config, endpoint string) *Clients {
	return &Clients{
		// The profile's or environment's region when neither --region nor
		// the stack gives one.
		Region:   cfg.Region,
		Endpoint: strings.TrimSuffix(endpoint, "/"),
		S3: s3.NewFromConfig(cfg, func(o *s3.Options) {
			o.UsePathStyle = endpoint != ""
			// CloudTrail writes log files without an S3 checksum, and gzip's
			// own CRC-32 already guards each file's integrity, so asking S3
			// for checksums only costs time (and a log line per file).
			o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
			o.DisableLogOutputChecksumValidationSkipped = true
		}),
		KMS:        kms.NewFromConfig(cfg),
		CloudTrail: cloudtrail.NewFromConfig(cfg),
		STS:        sts.NewFromConfig(cfg),
		IAM:        iam.NewFromConfig(cfg),
		S3Control: s3control.NewFromConfig(cfg, func(o *s3control.Options) {
			if endpoint != "" {
				o.EndpointResolverV2 = emulatorS3Control{next: s3control.NewDefaultEndpointResolverV2()}
			}
		}),
	}
}

// WhoAmI asks STS whose credentials these are. It is the cheapest call that
// proves the credentials are valid, so it goes first.
func (c *Clients) WhoAmI(ctx context.Context) (Identity, error) {
	out, err := c.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Identity{}, Explain(err, Target{What: "the caller's identity (sts:GetCallerIdentity)", Region: c.Region, Endpoint: c.Endpoint})
	}
	return Identity{Account: aws.ToString(out.Account), ARN: aws.ToString(out.Arn)}, nil
}

// CheckAccount refuses to go on with credentials for another account: every
// lookup would fail with "not found" and hide the real mistake.
func (id Identity) CheckAccount(stackAccount string) error {
	if id.Account == stackAccount {
		return nil
	}
	return &Error{Msg: fmt.Sprintf(
		"wrong account: the credentials are for account %s (%s) but the stack is in account %s; use that account's profile (--profile or AWS_PROFILE)",
		id.Account, id.ARN, stackAccount)}
}

func configError(profile string, err error) error {
	var notExist config.SharedConfigProfileNotExistError
	if errors.As(err, &notExist) {
		return &Error{Err: err, Msg: fmt.Sprintf(
			"AWS profile %q not found in the shared config or credentials files; check the name with `aws configure list-profiles`", notExist.Profile)}
	}
	p := profile
	if p == "" {
		p = "default"
	}
	return &Error{Err: err, Msg: fmt.Sprintf("cannot load AWS configuration (profile %s): %s", p, firstLine(err.Error()))}
}

func checkCredentials(ctx context.Context, cfg aws.Config, profile string) error {
	if cfg.Credentials == nil {
		return noCredentials(profile, nil)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return noCredentials(profile, err)
	}
	return nil
}

func noCredentials(profile string, err error) error {
	msg := "no AWS credentials found (looked in the environment, the shared config and credentials files, SSO and instance roles): " +
		"set AWS_PROFILE or pass --profile, run `aws configure`, or `aws sso login`"
	if err != nil {
		lower := strings.ToLower(err.Error())
		switch {
		case strings.Contains(lower, "sso") && (strings.Contains(lower, "token") || strings.Contains(lower, "expired")):
			msg = "the SSO session for this profile has expired or was never started: run `aws sso login"
			if profile != "" {
				msg += " --profile " + profile
			}
			msg += "`"
		case profile != "" && !strings.Contains(lower, "imds") && !strings.Contains(lower, "ec2"):
			msg = fmt.Sprintf("cannot get credentials for profile %q: %s", profile, firstLine(err.Error()))
		}
	}
	return &Error{Err: err, Msg: msg}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
