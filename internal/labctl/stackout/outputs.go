// Package stackout reads the lab stack's outputs, as printed by
// `pulumi stack output --json`, into the values labctl checks and searches
// for.
package stackout

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/valuetext"
)

// PublicAccessBlock is the program's own type for the bucket's four Block
// Public Access switches, with the same JSON names as the stack output.
type PublicAccessBlock = config.PublicAccessBlock

// Outputs are the stack outputs labctl uses. Unknown fields (consoleUrls,
// secrets printed as "[secret]") are ignored.
type Outputs struct {
	AccountID          string            `json:"accountId"`
	Region             string            `json:"region"`
	Partition          string            `json:"partition"`
	KeyID              string            `json:"keyId"`
	KeyARN             string            `json:"keyArn"`
	KeyAlias           string            `json:"keyAlias"`
	KeyAdministrators  []string          `json:"keyAdministrators"`
	KeyUsers           []string          `json:"keyUsers"`
	KeyRotationEnabled bool              `json:"keyRotationEnabled"`
	BucketName         string            `json:"bucketName"`
	ObjectOwnership    string            `json:"objectOwnership"`
	PublicAccessBlock  PublicAccessBlock `json:"publicAccessBlock"`
	BucketEncryption   string            `json:"bucketEncryption"`
	ObjectKey          string            `json:"objectKey"`
	ObjectURL          string            `json:"objectUrl"`
	PublicObjectACL    bool              `json:"publicObjectAcl"`
	TrailName          string            `json:"trailName"`
	TrailARN           string            `json:"trailArn"`
	DataEvents         bool              `json:"dataEvents"`
	// DataEventsScope is none, all-buckets or exclude-trail-bucket; stacks
	// deployed before the setting existed lack it and mean all-buckets.
	DataEventsScope string   `json:"dataEventsScope"`
	InsightTypes    []string `json:"insightTypes"`
	LogPrefix       string   `json:"logPrefix"`
}

// required lists the fields without which a check or a search cannot be
// done, with the JSON kind each must have. Booleans and lists are required
// too: a missing keyRotationEnabled would otherwise silently read as false.
var required = []struct {
	name string
	kind string
}{
	{"accountId", "string"}, {"region", "string"}, {"partition", "string"},
	{"keyId", "string"}, {"keyArn", "string"}, {"keyAlias", "string"},
	{"keyAdministrators", "array"}, {"keyUsers", "array"}, {"keyRotationEnabled", "bool"},
	{"bucketName", "string"}, {"objectOwnership", "string"}, {"publicAccessBlock", "object"},
	{"bucketEncryption", "string"}, {"objectKey", "string"}, {"objectUrl", "string"},
	{"publicObjectAcl", "bool"}, {"trailName", "string"}, {"trailArn", "string"},
	{"dataEvents", "bool"}, {"insightTypes", "array"}, {"logPrefix", "string"},
}

// Error is a problem with the outputs document itself. Its message names the
// source and says how to produce a good one.
type Error struct {
	Source string
	Detail string
}

func (e *Error) Error() string {
	return fmt.Sprintf("stack outputs from %s: %s (produce them with `pulumi stack output --json` in the lab stack)", e.Source, e.Detail)
}

// Load reads outputs from path, where "-" is stdin.
func Load(path string, stdin io.Reader) (*Outputs, error) {
	var (
		data []byte
		err  error
	)
	source := path
	if path == "-" {
		source = "stdin"
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, &Error{Source: source, Detail: "cannot read: " + unwrapPathError(err)}
	}
	return Parse(source, data)
}

// unwrapPathError drops the path Go repeats in *os.PathError: Error already
// names the source.
func unwrapPathError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse decodes and validates an outputs document. source names it in errors.
func Parse(source string, data []byte) (*Outputs, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{Source: source, Detail: "empty input"}
	}
	if kind := jsonKind(data); kind != "object" && json.Valid(data) {
		return nil, &Error{Source: source, Detail: fmt.Sprintf("not a JSON object: the outputs are one object of names and values ({\"accountId\": ..., \"region\": ...}), and this is %s", kindArticle(kind))}
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, &Error{Source: source, Detail: "not a JSON object: " + jsonProblem(data, err)}
	}
	var problems []string
	for _, r := range required {
		raw, ok := fields[r.name]
		if !ok {
			problems = append(problems, fmt.Sprintf("missing %q", r.name))
			continue
		}
		if kind := jsonKind(raw); kind != r.kind {
			problems = append(problems, fmt.Sprintf("%q is %s, want %s", r.name, describeKind(raw, kind), r.kind))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, &Error{Source: source, Detail: strings.Join(problems, "; ")}
	}
	var out Outputs
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, &Error{Source: source, Detail: jsonProblem(data, err)}
	}
	if err := out.validate(); err != nil {
		return nil, &Error{Source: source, Detail: err.Error()}
	}
	return &out, nil
}

// validate catches values that are present but unusable, such as a region
// that does not appear in the key ARN.
func (o *Outputs) validate() error {
	var problems []string
	for name, v := range map[string]string{
		"accountId": o.AccountID, "region": o.Region, "partition": o.Partition,
		"keyId": o.KeyID, "keyArn": o.KeyARN, "keyAlias": o.KeyAlias,
		"bucketName": o.BucketName, "objectKey": o.ObjectKey, "trailName": o.TrailName,
		"trailArn": o.TrailARN, "logPrefix": o.LogPrefix,
	} {
		if v == "" {
			problems = append(problems, fmt.Sprintf("%q is empty", name))
		} else if v == "[secret]" {
			problems = append(problems, fmt.Sprintf("%q is a secret: run `pulumi stack output --json --show-secrets`", name))
		}
	}
	if len(problems) == 0 {
		problems = append(problems, o.arnProblems()...)
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// arnProblems checks that keyArn and trailArn name keyId and trailName in
// the stack's partition, region and account: an outputs file pieced
// together from two stacks would send every check to the wrong resource.
func (o *Outputs) arnProblems() []string {
	var problems []string
	check := func(field, value, service, resource, what string) {
		a, err := arn.Parse(value)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("%s %s is not an ARN", field, valuetext.Quote(value)))
		case a.Service != service || a.Resource != resource:
			problems = append(problems, fmt.Sprintf("%s %s is not the ARN of %s", field, valuetext.Quote(value), what))
		case a.Partition != o.Partition || a.Region != o.Region || a.AccountID != o.AccountID:
			problems = append(problems, fmt.Sprintf("%s %s is not in the stack's partition %s, region %s and account %s", field, valuetext.Quote(value), o.Partition, o.Region, o.AccountID))
		}
	}
	check("keyArn", o.KeyARN, "kms", "key/"+o.KeyID, "keyId "+valuetext.Quote(o.KeyID))
	check("trailArn", o.TrailARN, "cloudtrail", "trail/"+o.TrailName, "trailName "+valuetext.Quote(o.TrailName))
	return problems
}

// ObjectARN is the S3 ARN of the lab image, the value KMS records carry in
// their aws:s3:arn encryption context.
func (o *Outputs) ObjectARN() string {
	return fmt.Sprintf("arn:%s:s3:::%s/%s", o.Partition, o.BucketName, o.ObjectKey)
}

// BucketARN is the S3 ARN of the trail bucket.
func (o *Outputs) BucketARN() string {
	return fmt.Sprintf("arn:%s:s3:::%s", o.Partition, o.BucketName)
}

// RootARN is the account's root principal, which the key policy always
// grants kms:*.
func (o *Outputs) RootARN() string {
	return fmt.Sprintf("arn:%s:iam::%s:root", o.Partition, o.AccountID)
}

// AliasARN is the ARN form of the key's alias.
func (o *Outputs) AliasARN() string {
	return fmt.Sprintf("arn:%s:kms:%s:%s:%s", o.Partition, o.Region, o.AccountID, o.KeyAlias)
}

func jsonKind(raw json.RawMessage) string {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return "empty"
	}
	switch t[0] {
	case '"':
		return "string"
	case '[':
		return "array"
	case '{':
		return "object"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	default:
		return "number"
	}
}

// describeKind shows the value when it is short, because "[secret]" is the
// usual reason a field has the wrong kind.
func describeKind(raw json.RawMessage, kind string) string {
	if len(raw) <= 20 {
		return fmt.Sprintf("%s %s", kind, bytes.TrimSpace(raw))
	}
	return kind
}

// jsonProblem turns a decoding error into a message with a line number, since
// a hand-edited outputs file is the usual culprit.
func jsonProblem(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Sprintf("invalid JSON at line %d: %v", line, se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%q is a JSON %s, want %s", te.Field, te.Value, goKindJSON(te.Type))
	}
	return err.Error()
}

// kindArticle is a JSON kind with its article, for a sentence.
func kindArticle(kind string) string {
	switch kind {
	case "array", "object":
		return "an " + kind
	case "null", "empty":
		return kind
	}
	return "a " + kind
}

// goKindJSON names the JSON kind a Go type decodes from, so that a message
// speaks JSON rather than Go.
func goKindJSON(t reflect.Type) string {
	if t == nil {
		return "another kind"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "bool"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map, reflect.Struct:
		return "object"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	}
	return "another kind"
}
