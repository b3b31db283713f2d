package policies

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/kms-lab/kms-lab/internal/iamarn"
	"github.com/micahhausler/aws-iam-policy/policy"
)

// AnyRegion in DeployerPolicyArgs.Regions grants the stack's Regional
// resources in every Region, so one policy serves stacks in any Region.
const AnyRegion = "*"

// DeployerPolicyArgs are the inputs of DeployerPolicy: where the lab is
// deployed and the names of the resources the program creates there.
type DeployerPolicyArgs struct {
	// Partition is aws, aws-cn or aws-us-gov.
	Partition string
	// AccountID is the 12-digit lab account.
	AccountID string
	// Regions are the Regions the stacks deploy to (aws:region), or
	// [AnyRegion]. The trail is multi-Region, but the provider manages it
	// only through its home Region, which is the stack's Region.
	Regions []string
	// KeyAlias is the alias name without "alias/" (kms-lab:keyAlias).
	KeyAlias string
	// TrailName is kms-lab:trailName.
	TrailName string
	// BucketName is an exact bucket name (kms-lab:bucketName); otherwise
	// BucketNamePrefix (kms-lab:bucketNamePrefix) names every bucket the
	// provider may generate from it. Exactly one of the two is set.
	BucketName       string
	BucketNamePrefix string
	// LooksUpDeployer is true when keyAdministrators or keyUsers name the
	// deployer: the program then calls iam.getSessionContext, which calls
	// iam:GetRole for an assumed-role caller.
	LooksUpDeployer bool
	// DeployerRoleARN scopes that iam:GetRole to the deploying role; empty
	// grants it on every role of the account. Ignored unless
	// LooksUpDeployer.
	DeployerRoleARN string
}

// s3DNSSuffix is the DNS suffix of S3's Regional endpoints per partition,
// for kms:ViaService (s3.<region>.<suffix>). The AWS KMS Developer Guide,
// "kms:ViaService", lists the values as service endpoint names.
var s3DNSSuffix = map[string]string{
	"aws":        "amazonaws.com",
	"aws-cn":     "amazonaws.com.cn",
	"aws-us-gov": "amazonaws.com",
}

var (
	// KMS alias names: letters, digits, / _ - (AWS KMS API Reference,
	// CreateAlias, AliasName).
	aliasNamePattern = regexp.MustCompile(`^[A-Za-z0-9/_-]{1,250}$`)
	// A generated bucket name is the prefix plus 26 characters, so the
	// prefix has at most 37 of S3's 63 (the provider's bucket_prefix rule).
	bucketPrefixPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,36}$`)
)

// DeployerPolicy returns the identity policy the role that runs `pulumi up`,
// `pulumi preview --refresh` and `pulumi destroy` of this program needs:
// every action of DeployerActions, one statement per Scope, each on the
// narrowest resources IAM lets it name. Invalid arguments are reported
// together.
func DeployerPolicy(args DeployerPolicyArgs) (*policy.Policy, error) {
	if err := args.validate(); err != nil {
		return nil, err
	}
	actions := actionsByScope(DeployerActions(), func(token string) bool {
		return token == CallSessionContext && !args.LooksUpDeployer
	})
	var statements []policy.Statement
	for _, scope := range scopeOrder {
		list := actions[scope]
		if len(list) == 0 {
			continue
		}
		statements = append(statements, policy.Statement{
			Sid:       string(scope),
			Effect:    policy.EffectAllow,
			Action:    policy.NewStringOrSlice(true, list...),
			Resource:  policy.NewStringOrSlice(true, args.resources(scope)...),
			Condition: args.condition(scope),
		})
	}
	return &policy.Policy{
		Version:    policy.VersionLatest,
		Statements: policy.NewStatementOrSlice(statements...),
	}, nil
}

func (a DeployerPolicyArgs) validate() error {
	var bad problems
	if _, ok := s3DNSSuffix[a.Partition]; !ok {
		bad.add("Partition", a.Partition, "must be aws, aws-cn or aws-us-gov (the partitions whose S3 endpoint names kms:ViaService needs are known)")
	}
	bad.accountID(a.AccountID)
	switch {
	case len(a.Regions) == 0:
		bad.add("Regions", "", `must name at least one Region, or be ["*"] for any Region`)
	case slices.Contains(a.Regions, AnyRegion) && len(a.Regions) > 1:
		bad.add("Regions", strings.Join(a.Regions, ","), `must be ["*"] alone or a list of Regions, not both`)
	}
	seen := map[string]bool{}
	for i, r := range a.Regions {
		name := fmt.Sprintf("Regions[%d]", i)
		switch {
		case r == AnyRegion:
		case !regionPattern.MatchString(r):
			bad.add(name, r, "must be a Region name such as us-east-1, or *")
		case seen[r]:
			bad.add(name, r, "is listed twice")
		}
		seen[r] = true
	}
	switch {
	case strings.HasPrefix(a.KeyAlias, "alias/"):
		bad.add("KeyAlias", a.KeyAlias, `must be the alias name without the "alias/" prefix`)
	case strings.HasPrefix(a.KeyAlias, "aws/"):
		bad.add("KeyAlias", a.KeyAlias, "must not start with aws/, which AWS reserves for AWS managed keys")
	case !aliasNamePattern.MatchString(a.KeyAlias):
		bad.add("KeyAlias", a.KeyAlias, "must be 1-250 letters, digits, / _ or -")
	}
	bad.check(trailPattern.MatchString(a.TrailName), "TrailName", a.TrailName,
		"must be 3-128 of A-Z a-z 0-9 . _ -, starting and ending with a letter or digit")
	switch {
	case (a.BucketName == "") == (a.BucketNamePrefix == ""):
		bad.add("BucketName", a.BucketName, fmt.Sprintf("and BucketNamePrefix %q: exactly one must be set", a.BucketNamePrefix))
	case a.BucketName != "":
		bad.check(bucketPattern.MatchString(a.BucketName), "BucketName", a.BucketName,
			"must be 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit")
	default:
		bad.check(bucketPrefixPattern.MatchString(a.BucketNamePrefix), "BucketNamePrefix", a.BucketNamePrefix,
			"must be 1-37 lowercase letters, digits, dots or hyphens, starting with a letter or digit")
	}
	if a.LooksUpDeployer && a.DeployerRoleARN != "" {
		role, err := iamarn.Parse(a.DeployerRoleARN)
		switch {
		case err != nil || role.Kind != iamarn.Role:
			bad.add("DeployerRoleARN", a.DeployerRoleARN, "must be an IAM role ARN, arn:<partition>:iam::<account>:role/<name>")
		case role.Partition != a.Partition || role.AccountID != a.AccountID:
			bad.add("DeployerRoleARN", a.DeployerRoleARN,
				fmt.Sprintf("must be a role of account %s in partition %s", a.AccountID, a.Partition))
		}
	}
	return bad.err("deployer policy")
}

// resources returns the Resource element of scope's statement.
func (a DeployerPolicyArgs) resources(scope Scope) []string {
	var out []string
	perRegion := func(service, resource string) {
		for _, r := range a.Regions {
			out = append(out, ARN(a.Partition, service, r, a.AccountID, resource))
		}
	}
	switch scope {
	case ScopeKeys, ScopeKeyViaS3:
		perRegion("kms", "key/*")
	case ScopeAlias:
		perRegion("kms", "alias/"+a.KeyAlias)
		perRegion("kms", "key/*")
	case ScopeBucket:
		out = []string{a.bucketARN()}
	case ScopeObjects:
		out = []string{a.bucketARN() + "/*"}
	case ScopeTrail:
		perRegion("cloudtrail", "trail/"+a.TrailName)
	case ScopeDeployerRole:
		out = []string{a.DeployerRoleARN}
		if a.DeployerRoleARN == "" {
			out = []string{ARN(a.Partition, "iam", "", a.AccountID, "role/*")}
		}
	default: // the scopes IAM cannot narrow: see their declarations
		out = []string{"*"}
	}
	return out
}

// bucketARN is the bucket's ARN, or for a prefix the ARN pattern of every
// bucket the provider can generate from it.
func (a DeployerPolicyArgs) bucketARN() string {
	if a.BucketName != "" {
		return BucketARN(a.Partition, a.BucketName)
	}
	return BucketARN(a.Partition, a.BucketNamePrefix+"*")
}

// condition returns the Condition element of scope's statement, or nil.
func (a DeployerPolicyArgs) condition(scope Scope) map[string]map[string]*policy.ConditionValue {
	switch scope {
	case ScopeNewKey:
		// The program creates one kind of key: a symmetric encryption key
		// for one Region with key material from KMS. These keys hold even
		// when CreateKey omits the parameter and KMS uses its default
		// (AWS KMS Developer Guide, "AWS KMS condition keys").
		return map[string]map[string]*policy.ConditionValue{
			"StringEquals": {
				"kms:KeySpec":   policy.NewConditionValueString(true, "SYMMETRIC_DEFAULT"),
				"kms:KeyUsage":  policy.NewConditionValueString(true, "ENCRYPT_DECRYPT"),
				"kms:KeyOrigin": policy.NewConditionValueString(true, "AWS_KMS"),
			},
			"Bool": {"kms:MultiRegion": policy.NewConditionValueBool(true, false)},
		}
	case ScopeKeyViaS3:
		// Only S3 may use a key for the deployer, and only in the stack's
		// Regions: the deployer itself never encrypts or decrypts.
		var services []string
		for _, r := range a.Regions {
			services = append(services, "s3."+r+"."+s3DNSSuffix[a.Partition])
		}
		op := "StringEquals"
		if slices.Contains(a.Regions, AnyRegion) {
			op = "StringLike"
		}
		return map[string]map[string]*policy.ConditionValue{
			op: {"kms:ViaService": policy.NewConditionValueString(true, services...)},
		}
	}
	return nil
}
