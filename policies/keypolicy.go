package policies

import (
	"slices"

	"github.com/micahhausler/aws-iam-policy/policy"
)

// keyPolicyID is the Id the AWS KMS console gives its default key policy.
// Keeping it makes the console recognise the policy as its own and offer the
// "default view" for editing administrators and users.
const keyPolicyID = "key-consolepolicy-3"

// Statement ids of the console's default key policy, verbatim: the console's
// default view finds its statements by these Sids.
const (
	SidRootAccess        = "Enable IAM User Permissions"
	SidKeyAdministrators = "Allow access for Key Administrators"
	SidKeyUsers          = "Allow use of the key"
	SidPersistentGrants  = "Allow attachment of persistent resources"
)

// grantIsForAWSResource is the condition key that limits the key users' grant
// permissions to grants an integrated AWS service creates on their behalf.
const grantIsForAWSResource = "kms:GrantIsForAWSResource"

// KeyAdministratorActions returns the console's key administrator actions for
// a single-Region symmetric encryption key, in the console's order. The
// wildcards are the console's: they give administrators new management
// operations as KMS adds them. kms:RotateKeyOnDemand is the console's
// addition since on-demand rotation was launched in 2024.
//
// Each call returns a new slice, so callers may modify it freely.
func KeyAdministratorActions() []string {
	return []string{
		"kms:Create*",
		"kms:Describe*",
		"kms:Enable*",
		"kms:List*",
		"kms:Put*",
		"kms:Update*",
		"kms:Revoke*",
		"kms:Disable*",
		"kms:Get*",
		"kms:Delete*",
		"kms:TagResource",
		"kms:UntagResource",
		"kms:ScheduleKeyDeletion",
		"kms:CancelKeyDeletion",
		"kms:RotateKeyOnDemand",
	}
}

// KeyUserActions returns the console's key user actions for a symmetric
// encryption key, in the console's order. Each call returns a new slice.
func KeyUserActions() []string {
	return []string{
		"kms:Encrypt",
		"kms:Decrypt",
		"kms:ReEncrypt*",
		"kms:GenerateDataKey*",
		"kms:DescribeKey",
	}
}

// KeyGrantActions returns the grant actions the console gives key users so
// that integrated services (EBS, RDS, ...) can use the key for them. Each
// call returns a new slice.
func KeyGrantActions() []string {
	return []string{
		"kms:CreateGrant",
		"kms:ListGrants",
		"kms:RevokeGrant",
	}
}

// KeyPolicyArgs are the inputs of KeyPolicy.
type KeyPolicyArgs struct {
	// Partition is the AWS partition of the key: aws, aws-cn, aws-us-gov...
	Partition string
	// AccountID is the 12-digit account that owns the key.
	AccountID string
	// Administrators may manage but not use the key. Empty drops the key
	// administrators statement; the account root still manages the key.
	Administrators []string
	// Users may use the key and let AWS services use it for them. Empty
	// drops both key user statements.
	Users []string
}

// KeyPolicy returns a key policy equal in meaning to the one the AWS KMS
// console writes for the given administrators and users.
//
// The account-root statement is always present: without it a key whose
// administrators are deleted can only be recovered by AWS Support, and IAM
// policies could not grant access to the key. Principals are sorted and
// de-duplicated so the same set of principals always yields the same
// document, whatever order the configuration lists them in.
func KeyPolicy(args KeyPolicyArgs) (*policy.Policy, error) {
	var bad problems
	bad.partition(args.Partition)
	bad.accountID(args.AccountID)
	bad.principals("Administrators", args.Administrators)
	bad.principals("Users", args.Users)
	if err := bad.err("key policy"); err != nil {
		return nil, err
	}

	statements := []policy.Statement{{
		Sid:       SidRootAccess,
		Effect:    policy.EffectAllow,
		Principal: policy.NewAWSPrincipal(AccountRootARN(args.Partition, args.AccountID)),
		Action:    policy.NewStringOrSlice(true, "kms:*"),
		Resource:  policy.NewStringOrSlice(true, "*"),
	}}
	if admins := sortedUnique(args.Administrators); len(admins) > 0 {
		statements = append(statements, policy.Statement{
			Sid:       SidKeyAdministrators,
			Effect:    policy.EffectAllow,
			Principal: awsPrincipal(admins),
			Action:    policy.NewStringOrSlice(true, KeyAdministratorActions()...),
			Resource:  policy.NewStringOrSlice(true, "*"),
		})
	}
	if users := sortedUnique(args.Users); len(users) > 0 {
		statements = append(statements,
			policy.Statement{
				Sid:       SidKeyUsers,
				Effect:    policy.EffectAllow,
				Principal: awsPrincipal(users),
				Action:    policy.NewStringOrSlice(true, KeyUserActions()...),
				Resource:  policy.NewStringOrSlice(true, "*"),
			},
			policy.Statement{
				Sid:       SidPersistentGrants,
				Effect:    policy.EffectAllow,
				Principal: awsPrincipal(users),
				Action:    policy.NewStringOrSlice(true, KeyGrantActions()...),
				Resource:  policy.NewStringOrSlice(true, "*"),
				// The console writes the string "true"; IAM's Bool operator
				// treats it the same as the JSON boolean the KMS guide shows.
				Condition: map[string]map[string]*policy.ConditionValue{
					"Bool": {grantIsForAWSResource: policy.NewConditionValueString(true, "true")},
				},
			})
	}

	return &policy.Policy{
		Version:    policy.VersionLatest,
		Id:         keyPolicyID,
		Statements: policy.NewStatementOrSlice(statements...),
	}, nil
}

// awsPrincipal gives each statement its own copy of the list: the library
// keeps the slice it is given, and two statements sharing one backing array
// would see each other's later edits.
func awsPrincipal(list []string) *policy.Principal {
	return policy.NewAWSPrincipal(slices.Clone(list)...)
}

// sortedUnique returns a sorted copy of list without duplicates, leaving the
// caller's slice untouched.
func sortedUnique(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return slices.Compact(out)
}
