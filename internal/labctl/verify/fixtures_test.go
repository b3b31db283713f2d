package verify

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/plan"
)

// The fixtures are the program's own: its dev stack rendered on the mock
// engine for a lab student in AWS's documentation account, so a change to
// the key or bucket policy in the program reaches these tests unedited.
const (
	docAccount = "111122223333" // AWS's documentation example account
	student    = "arn:aws:iam::111122223333:user/AWSLabsUser-abc"
	root       = "arn:aws:iam::111122223333:root"
)

// Statement ids of the console's default key policy (AWS KMS Developer
// Guide, "Default key policy"): the program keeps them, and they are how
// these fixtures pick a statement to change.
const (
	rootSid  = "Enable IAM User Permissions"
	adminSid = "Allow access for Key Administrators"
	useSid   = "Allow use of the key"
	grantSid = "Allow attachment of persistent resources"
)

// program is the rendered dev stack: set once by TestMain, read-only after.
var program struct {
	outputs      []byte          // the stack outputs as JSON
	keyPolicy    map[string]stmt // key policy statements by Sid
	bucketPolicy []stmt          // the trail bucket's policy statements
}

func TestMain(m *testing.M) {
	if err := renderProgram(); err != nil {
		fmt.Fprintln(os.Stderr, "verify tests: rendering the dev stack:", err)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func renderProgram() error {
	p, err := plan.RenderFile("", filepath.Join("..", "..", "..", "Pulumi.dev.yaml"),
		plan.Options{AccountID: docAccount, Region: "us-west-2", Partition: "aws", CallerARN: student})
	if err != nil {
		return err
	}
	if program.outputs, err = json.Marshal(p.Outputs); err != nil {
		return fmt.Errorf("outputs: %w", err)
	}
	statements := func(typ string) ([]stmt, error) {
		r := p.Find(typ)
		if r == nil {
			return nil, fmt.Errorf("the plan has no %s", typ)
		}
		doc, ok := r.Inputs["policy"].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s policy is %T", typ, r.Inputs["policy"])
		}
		list, _ := doc["Statement"].([]any)
		var out []stmt
		for _, s := range list {
			out = append(out, s.(map[string]any))
		}
		return out, nil
	}
	key, err := statements("aws:kms/key:Key")
	if err != nil {
		return err
	}
	program.keyPolicy = map[string]stmt{}
	for _, s := range key {
		program.keyPolicy[s["Sid"].(string)] = s
	}
	for _, sid := range []string{rootSid, adminSid, useSid, grantSid} {
		if program.keyPolicy[sid] == nil {
			return fmt.Errorf("the key policy has no statement %q", sid)
		}
	}
	program.bucketPolicy, err = statements("aws:s3/bucketPolicy:BucketPolicy")
	return err
}

// labOutputs are the program's stack outputs, parsed as labctl parses them.
func labOutputs() *stackout.Outputs {
	o, err := stackout.Parse("the dev plan", program.outputs)
	if err != nil {
		panic(err) // the program's own outputs must parse
	}
	return o
}

type stmt = map[string]any

// copyStmt deep-copies a statement, so a test may change it.
func copyStmt(s stmt) stmt {
	data, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	var out stmt
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

// keyStatement is the program's statement sid, granted to principals
// instead of the student.
func keyStatement(sid string, principals []string) stmt {
	s := copyStmt(program.keyPolicy[sid])
	if principals != nil {
		s["Principal"] = stmt{"AWS": principals}
	}
	return s
}

func rootStatement() stmt                      { return keyStatement(rootSid, nil) }
func adminStatement(principals ...string) stmt { return keyStatement(adminSid, principals) }
func useStatement(principals ...string) stmt   { return keyStatement(useSid, principals) }
func grantStatement(principals ...string) stmt { return keyStatement(grantSid, principals) }

// bucketStatement is the program's trail-bucket statement that allows
// action (s3:GetBucketAcl or s3:PutObject), found by what it allows.
func bucketStatement(action string) stmt {
	for _, s := range program.bucketPolicy {
		if s["Action"] == action {
			return copyStmt(s)
		}
	}
	panic("the trail bucket policy has no statement allowing " + action)
}

// policyDoc wraps statements in a document of the current policy language
// version (IAM User Guide, "IAM JSON policy elements: Version").
func policyDoc(statements ...stmt) string {
	data, _ := json.Marshal(stmt{"Version": "2012-10-17", "Statement": statements})
	return string(data)
}

func byName(checks []Check) map[string]Check {
	out := map[string]Check{}
	for _, c := range checks {
		out[c.Name] = c
	}
	return out
}

// The judges take the snapshot's values; these make them from AWS's
// answers as the observer does, so that a test's input is AWS's own shape.
func headCheck(h *s3.HeadObjectOutput, o *stackout.Outputs) Check {
	return objectEncryptionCheck(account.HeadOf(h), o)
}

func selCheck(out *cloudtrail.GetEventSelectorsOutput, o *stackout.Outputs) Check {
	return eventSelectorsCheck(account.SelectorsOf(out), o)
}

// anonCheck judges S3's answer to the anonymous GET as the observer
// records it: the status, the error document's code and message (which
// the SDK reads), and of a served object its length.
func anonCheck(status int, body []byte, public bool) Check {
	a := account.AnonymousAnswer{URL: "https://example/", Status: status}
	if status >= 200 && status < 300 {
		a.Bytes = len(body)
	} else {
		var e struct{ Code, Message string }
		_ = xml.Unmarshal(body, &e)
		a.Code, a.Message = e.Code, e.Message
	}
	return interpretAnonymousGet(a, public)
}

func aclText(grants []s3types.Grant) string { return describeACL(account.GrantsOf(grants)) }
