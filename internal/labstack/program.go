// Package labstack is the kms-lab Pulumi program: it reads the validated
// config, discovers the deployment target and builds the lab's components.
// main.go runs Program; the offline plan and the tests run it on mocks.
package labstack

import (
	"maps"
	"slices"

	"github.com/kms-lab/kms-lab/components"
	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/labnames"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Lab is everything the program built, with the stack outputs it exports.
type Lab struct {
	Config  *config.Config
	Env     *Environment
	Key     *components.EncryptionKey
	Bucket  *components.TrailBucket
	Trail   *components.AuditTrail
	Image   *components.LabImage
	Outputs map[string]pulumi.Input
}

// Program is the function main.go passes to pulumi.Run.
func Program(ctx *pulumi.Context) error {
	lab, err := Build(ctx)
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(lab.Outputs)) {
		ctx.Export(k, lab.Outputs[k])
	}
	return nil
}

// Build reads the deployment target from the data sources, validates the
// config against it, then registers the lab's resources. Every config
// problem is returned, together, before anything is registered.
func Build(ctx *pulumi.Context) (*Lab, error) {
	root := ctx.RootDirectory()
	if root == "" {
		root = "." // the CLI runs the program in the project directory
	}
	env, err := discover(ctx)
	if err != nil {
		return nil, err
	}
	target := config.Target{Partition: env.Partition}
	if config.UsesDeployer(ctx.GetConfig) {
		if target.Deployer, err = deployerPrincipal(ctx, env.CallerARN); err != nil {
			return nil, err
		}
	}
	cfg, err := config.Load(ctx.GetConfig, root, target)
	if err != nil {
		return nil, err
	}
	tags := map[string]string{config.StackTagKey: ctx.Stack()}
	for k, v := range cfg.Tags {
		tags[k] = v
	}
	lab := &Lab{Config: cfg, Env: env}

	lab.Key, err = components.NewEncryptionKey(ctx, labnames.Key, &components.EncryptionKeyArgs{
		Alias:              cfg.KeyAlias,
		Description:        cfg.KeyDescription,
		DeletionWindowDays: cfg.DeletionWindowDays,
		Rotation:           cfg.KeyRotation,
		Partition:          env.Partition,
		AccountID:          env.AccountID,
		Administrators:     cfg.KeyAdministrators,
		Users:              cfg.KeyUsers,
		Tags:               tags,
	})
	if err != nil {
		return nil, err
	}
	pab := cfg.PublicAccessBlock()
	lab.Bucket, err = components.NewTrailBucket(ctx, labnames.Bucket, &components.TrailBucketArgs{
		BucketName:       cfg.BucketName,
		BucketNamePrefix: cfg.BucketNamePrefix,
		ForceDestroy:     cfg.ForceDestroy,
		PublicAccess:     pab,
		ObjectOwnership:  components.ObjectOwnershipACLsEnabled,
		Partition:        env.Partition,
		Region:           env.Region,
		AccountID:        env.AccountID,
		TrailName:        cfg.TrailName,
		Tags:             tags,
	})
	if err != nil {
		return nil, err
	}
	lab.Trail, err = components.NewAuditTrail(ctx, labnames.Trail, &components.AuditTrailArgs{
		Name:                         cfg.TrailName,
		BucketName:                   lab.Bucket.BucketName,
		Partition:                    env.Partition,
		DataEvents:                   cfg.DataEvents,
		DataEventsExcludeTrailBucket: cfg.DataEventsScope == config.DataEventsExcludeTrailBucket,
		InsightTypes:                 insightTypesOf(cfg),
		BucketReady:                  []pulumi.Resource{lab.Bucket.Policy},
		Tags:                         tags,
	})
	if err != nil {
		return nil, err
	}
	lab.Image, err = components.NewLabImage(ctx, labnames.Image, &components.LabImageArgs{
		Bucket:      lab.Bucket.BucketName,
		Key:         cfg.ObjectKey,
		Path:        cfg.ImagePath,
		ContentType: cfg.ImageContentType,
		KMSKeyARN:   lab.Key.KeyARN,
		PublicRead:  cfg.PublicObjectACL,
		ACLReady:    []pulumi.Resource{lab.Bucket.OwnershipControls, lab.Bucket.PublicAccessBlock},
	})
	if err != nil {
		return nil, err
	}
	lab.Outputs = outputs(lab)
	return lab, nil
}

// outputs are the stack outputs: what students click and what labctl checks.
func outputs(lab *Lab) map[string]pulumi.Input {
	cfg, env := lab.Config, lab.Env
	pab := cfg.PublicAccessBlock()
	bucket := lab.Bucket.BucketName
	urls := pulumi.All(lab.Key.KeyID, bucket, lab.Trail.TrailARN).ApplyT(func(v []any) map[string]string {
		return consoleURLs(env.Partition, env.Region, v[0].(string), v[1].(string), cfg.ObjectKey, v[2].(string), env.AccountID)
	}).(pulumi.StringMapOutput)
	return map[string]pulumi.Input{
		"accountId":          pulumi.String(env.AccountID),
		"region":             pulumi.String(env.Region),
		"partition":          pulumi.String(env.Partition),
		"keyId":              lab.Key.KeyID,
		"keyArn":             lab.Key.KeyARN,
		"keyAlias":           lab.Key.AliasName,
		"keyAdministrators":  pulumi.ToStringArray(sortedCopy(cfg.KeyAdministrators)),
		"keyUsers":           pulumi.ToStringArray(sortedCopy(cfg.KeyUsers)),
		"keyRotationEnabled": pulumi.Bool(cfg.KeyRotation),
		"bucketName":         bucket,
		"bucketEncryption":   pulumi.String(components.DefaultBucketEncryption),
		"objectOwnership":    pulumi.String(components.ObjectOwnershipACLsEnabled),
		"publicAccessBlock": pulumi.Map{
			"blockPublicAcls":       pulumi.Bool(pab.BlockPublicACLs),
			"ignorePublicAcls":      pulumi.Bool(pab.IgnorePublicACLs),
			"blockPublicPolicy":     pulumi.Bool(pab.BlockPublicPolicy),
			"restrictPublicBuckets": pulumi.Bool(pab.RestrictPublicBuckets),
		},
		"objectKey": lab.Image.ObjectKey,
		"objectUrl": bucket.ApplyT(func(b string) string {
			return objectURL(b, env.Region, env.DNSSuffix, cfg.ObjectKey)
		}).(pulumi.StringOutput),
		"publicObjectAcl": pulumi.Bool(cfg.PublicObjectACL),
		"trailName":       lab.Trail.TrailName,
		"trailArn":        lab.Trail.TrailARN,
		"dataEvents":      pulumi.Bool(cfg.DataEvents),
		"dataEventsScope": pulumi.String(dataEventsScopeOf(cfg)),
		"insightTypes":    pulumi.ToStringArray(insightTypesOf(cfg)),
		"logPrefix":       pulumi.String(logPrefix(env.AccountID, env.Region)),
		"consoleUrls":     urls,
	}
}

// dataEventsScope says which buckets' data events the trail logs: none when
// they are off, so labctl never expects selectors the trail does not have.
func dataEventsScopeOf(cfg *config.Config) string {
	if !cfg.DataEvents {
		return "none"
	}
	return cfg.DataEventsScope
}

func insightTypesOf(cfg *config.Config) []string {
	if !cfg.Insights {
		return []string{}
	}
	return []string{components.InsightAPICallRate, components.InsightAPIErrorRate}
}

func sortedCopy(s []string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	return out
}
