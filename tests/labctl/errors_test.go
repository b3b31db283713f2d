package labctl_test

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Every way labctl cannot do its job ends in one line that names what was
// looked for and what to do, with exit code 2.
func TestErrorsAreOneClearLine(t *testing.T) {
	moto := needMoto(t)
	l := newLab(t, moto)
	good := writeOutputs(t, l.outputs(t))

	dir := t.TempDir()
	badJSON := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(badJSON, []byte("{\n  \"accountId\": \"123456789012\",\n  \"region\": us-west-2\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := l.outputs(t)
	delete(missing, "trailArn")
	missing["keyRotationEnabled"] = "[secret]"
	// Another lab account's outputs: every account ID in them differs.
	otherAccount := l.outputsIn(t, "111122223333")
	noBucket := l.outputs(t)
	noBucket["bucketName"] = "mycloudtrailbucket-deleted"

	deniedFront := newAWSFront(t, moto.URL)
	deniedFront.deny = func(r *http.Request) (string, bool) {
		return "s3", r.Method == http.MethodGet && r.URL.Query().Get("list-type") == "2"
	}

	env := awsEnv(t, l)
	tests := []struct {
		name  string
		env   []string
		stdin string
		args  []string
		want  []string
	}{
		{"bad outputs JSON", env, "", []string{"verify", "--outputs", badJSON},
			[]string{"stack outputs from " + badJSON, "invalid JSON at line 3", "pulumi stack output --json"}},
		{"missing and secret fields", env, "", []string{"verify", "--outputs", writeOutputs(t, missing)},
			[]string{`"keyRotationEnabled" is string "[secret]", want bool`, `missing "trailArn"`}},
		{"outputs file not there", env, "", []string{"events", "--outputs", filepath.Join(dir, "nope.json")},
			[]string{"stack outputs from " + filepath.Join(dir, "nope.json"), "cannot read: no such file or directory"}},
		{"no outputs given", env, "", []string{"verify"},
			[]string{"no stack outputs", "pulumi stack output --json | labctl CMD -", "--outputs FILE"}},
		{"empty stdin", env, "", []string{"verify", "-"}, []string{"stack outputs from stdin: empty input"}},
		{"no credentials", withoutCredentials(env), "", []string{"verify", "--outputs", good, "--endpoint-url", moto.URL},
			[]string{"no AWS credentials found", "--profile", "aws configure"}},
		{"unknown profile", env, "", []string{"verify", "--outputs", good, "--endpoint-url", moto.URL, "--profile", "lab-acct-07"},
			[]string{`AWS profile "lab-acct-07" not found`}},
		{"wrong region", env, "", []string{"events", "--outputs", good, "--endpoint-url", moto.URL, "--region", "eu-west-1"},
			[]string{"wrong region: --region eu-west-1", "are in us-west-2", "drop --region"}},
		{"wrong account", env, "", []string{"verify", "--outputs", writeOutputs(t, otherAccount), "--endpoint-url", moto.URL},
			[]string{"wrong account: the credentials are for account " + l.account, "the stack is in account 111122223333", "--profile"}},
		{"missing bucket", env, "", []string{"events", "--outputs", writeOutputs(t, noBucket), "--endpoint-url", moto.URL},
			[]string{`the trail bucket mycloudtrailbucket-deleted (outputs "bucketName") not found (account ` + l.account + `, us-west-2)`, "pulumi up"}},
		{"missing key alias", env, "", []string{"events", "--outputs", good, "--endpoint-url", moto.URL, "--key", "alias/notMyKey"},
			[]string{"KMS alias alias/notMyKey not found (account " + l.account + ", us-west-2)", "aws kms list-aliases", "the stack's alias is " + l.alias}},
		{"access denied listing logs", env, "", []string{"events", "--outputs", good, "--endpoint-url", deniedFront.URL},
			[]string{"access denied for " + l.caller + " on s3:ListBucket reading the trail's log files in s3://" + l.bucket + "/AWSLogs/" + l.account + "/CloudTrail/"}},
		// AWS_MAX_ATTEMPTS (AWS SDKs and Tools Reference Guide, "Retry
		// behavior") keeps the refused connection's retries to two.
		{"unreachable endpoint", append(slices.Clone(env), "AWS_MAX_ATTEMPTS=2"), "", []string{"verify", "--outputs", good, "--endpoint-url", "http://127.0.0.1:1"},
			[]string{"cannot reach http://127.0.0.1:1", "--endpoint-url"}},
		{"bad time", env, "", []string{"events", "--outputs", good, "--since", "yesterday"},
			[]string{`--since: "yesterday" is not a time`}},
		{"unknown command", env, "", []string{"decrypt"}, []string{`unknown command "decrypt"`, "labctl help"}},
		{"unknown flag", env, "", []string{"events", "--bucket", "x"}, []string{"events: unknown flag: --bucket (see `labctl help events`)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runLabctl(t, tt.env, tt.stdin, tt.args...)
			requireOneLineError(t, res, tt.want...)
			if strings.Contains(res.stdout, "checks:") {
				t.Errorf("no checklist should be printed after a fatal error, got:\n%s", res.stdout)
			}
		})
	}
}
