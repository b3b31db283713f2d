package config

// ProviderNamespace is the Pulumi config namespace of the AWS provider.
const ProviderNamespace = "aws"

// ProviderKeys returns the AWS provider's config keys, without the aws:
// prefix. The provider refuses a key it does not know ("could not validate
// provider configuration: Invalid or unknown key") only once pulumi up
// reaches it, and a misspelt aws:region is first reported as a missing
// region; naming the misspelt key up front saves that round.
//
// The list is the pulumi-aws v6 provider's config schema, as its Go SDK
// exposes it (sdk/v6/go/aws/config/config.go).
func ProviderKeys() []string {
	return []string{
		"accessKey",
		"allowedAccountIds",
		"assumeRole",
		"assumeRoleWithWebIdentity",
		"customCaBundle",
		"defaultTags",
		"ec2MetadataServiceEndpoint",
		"ec2MetadataServiceEndpointMode",
		"endpoints",
		"forbiddenAccountIds",
		"httpProxy",
		"httpsProxy",
		"ignoreTags",
		"insecure",
		"maxRetries",
		"noProxy",
		"profile",
		"region",
		"retryMode",
		"s3UsEast1RegionalEndpoint",
		"s3UsePathStyle",
		"secretKey",
		"sharedConfigFiles",
		"sharedCredentialsFiles",
		"skipCredentialsValidation",
		"skipMetadataApiCheck",
		"skipRegionValidation",
		"skipRequestingAccountId",
		"stsRegion",
		"token",
		"tokenBucketRateLimiterCapacity",
		"useDualstackEndpoint",
		"useFipsEndpoint",
	}
}
