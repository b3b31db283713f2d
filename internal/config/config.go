package config

import (
	"encoding/json"
	"path/filepath"
	"strconv"
)

// Lookup returns the raw value of a fully qualified config key such as
// "kms-lab:keyAlias", the way the Pulumi engine hands it to a program:
// strings as they are, numbers and booleans in their text form, arrays and
// objects as JSON.
type Lookup func(key string) (string, bool)

// PublicAccessBlock holds the four S3 Block Public Access switches.
type PublicAccessBlock struct {
	BlockPublicACLs       bool `json:"blockPublicAcls"`
	IgnorePublicACLs      bool `json:"ignorePublicAcls"`
	BlockPublicPolicy     bool `json:"blockPublicPolicy"`
	RestrictPublicBuckets bool `json:"restrictPublicBuckets"`
}

// Deployer is the principal-list entry that stands for whoever runs
// pulumi up; it is the default of keyAdministrators and keyUsers.
const Deployer = "deployer"

// Target is what the AWS data sources report about the deployment target:
// the loader resolves Deployer to Target.Deployer (an IAM ARN, never a
// session ARN) and checks every principal's partition against it. An empty
// Partition stands for a target not known yet: the partition rule is then
// left to the run that knows it.
type Target struct {
	Partition string
	Deployer  string
}

// Config is the validated stack configuration. Principal lists hold IAM ARNs
// only: Deployer has been resolved; an empty list means no such principals.
type Config struct {
	KeyAlias           string
	KeyDescription     string
	KeyAdministrators  []string
	KeyUsers           []string
	DeletionWindowDays int
	KeyRotation        bool
	TrailName          string
	BucketNamePrefix   string
	BucketName         string
	ForceDestroy       bool
	DataEvents         bool
	DataEventsScope    string
	Insights           bool
	// ImagePath is the image as configured: absolute, or relative to the
	// project directory, where the Pulumi CLI runs the program. Keeping it
	// relative keeps checkout locations out of the asset and the state.
	ImagePath string
	// ImageFile is ImagePath resolved against the project directory, for
	// reading the file here.
	ImageFile        string
	ImageContentType string
	ObjectKey        string
	PublicObjectACL  bool
	PublicAccess     string
	Tags             map[string]string
}

// PublicAccessBlock returns the Block Public Access switches for the chosen mode.
func (c *Config) PublicAccessBlock() PublicAccessBlock {
	switch c.PublicAccess {
	case publicAccessAllOff:
		return PublicAccessBlock{}
	case publicAccessBlocked:
		return PublicAccessBlock{true, true, true, true}
	default:
		// A public object ACL needs only the two ACL switches off; keeping the
		// policy switches on means no bucket policy can ever make the bucket public.
		return PublicAccessBlock{BlockPublicPolicy: true, RestrictPublicBuckets: true}
	}
}

// Load reads every setting through lookup, applies the defaults from
// Settings, validates the result for target and returns all problems
// together. projectDir anchors a relative imagePath.
func Load(lookup Lookup, projectDir string, target Target) (*Config, error) {
	r := reader{lookup: lookup}
	c := &Config{
		KeyAlias:           r.str(KeyAlias),
		KeyDescription:     r.str(KeyDescription),
		KeyAdministrators:  r.strings(KeyAdministrators),
		KeyUsers:           r.strings(KeyUsers),
		DeletionWindowDays: r.integer(KeyDeletionWindowDays),
		KeyRotation:        r.boolean(KeyRotation),
		TrailName:          r.str(TrailName),
		BucketNamePrefix:   r.str(BucketNamePrefix),
		BucketName:         r.str(BucketName),
		ForceDestroy:       r.boolean(ForceDestroy),
		DataEvents:         r.boolean(DataEvents),
		DataEventsScope:    r.str(DataEventsScope),
		Insights:           r.boolean(Insights),
		ImagePath:          r.str(ImagePath),
		ObjectKey:          r.str(ObjectKey),
		PublicObjectACL:    r.boolean(PublicObjectACL),
		PublicAccess:       r.str(PublicAccess),
		Tags:               r.stringMap(Tags),
	}
	c.ImageFile = c.ImagePath
	if c.ImagePath != "" && !filepath.IsAbs(c.ImagePath) {
		c.ImageFile = filepath.Join(projectDir, c.ImagePath)
	}
	v := validator{problems: r.problems, typeErrors: map[string]bool{}}
	for _, p := range r.problems {
		v.typeErrors[p.Key] = true
	}
	v.validate(c, target)
	if err := v.err(); err != nil {
		return nil, err
	}
	return c, nil
}

// reader decodes raw values by their declared type, collecting type errors.
type reader struct {
	lookup   Lookup
	problems []Problem
}

func (r *reader) raw(key string) (string, bool) {
	if v, ok := r.lookup(Namespace + ":" + key); ok {
		return v, true
	}
	for _, s := range Settings() {
		if s.Key == key && s.Default != nil {
			return EncodeDefault(s.Default), true
		}
	}
	return "", false
}

// EncodeDefault writes a default the way the engine passes it to a program:
// strings as they are, everything else as JSON.
func EncodeDefault(v any) string {
	if str, ok := v.(string); ok {
		return str
	}
	// Defaults are ints, bools and string maps: json.Marshal cannot fail on them.
	b, _ := json.Marshal(v)
	return string(b)
}

func (r *reader) bad(key, value, rule string) {
	r.problems = append(r.problems, Problem{Key: key, Value: value, Rule: rule})
}

func (r *reader) str(key string) string {
	v, _ := r.raw(key)
	return v
}

func (r *reader) integer(key string) int {
	v, ok := r.raw(key)
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		r.bad(key, v, "must be a whole number")
	}
	return n
}

func (r *reader) boolean(key string) bool {
	v, ok := r.raw(key)
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil || (v != "true" && v != "false") {
		r.bad(key, v, "must be true or false")
	}
	return b
}

func (r *reader) strings(key string) []string {
	v, ok := r.raw(key)
	if !ok {
		return nil
	}
	out := []string{}
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		r.bad(key, v, "must be a list of strings")
		return nil
	}
	return out
}

func (r *reader) stringMap(key string) map[string]string {
	v, ok := r.raw(key)
	if !ok {
		return map[string]string{}
	}
	out := map[string]string{}
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		r.bad(key, v, "must be a map of string keys to string values")
		return map[string]string{}
	}
	return out
}
