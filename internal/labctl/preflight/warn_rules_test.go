package preflight

// Every rule of preflight that makes a warn rather than a fail, each on its
// own: a warn is a finding that must not stop `pulumi up` (only a fail makes
// preflight exit 1), so turning one into a fail, or into a pass, breaks one
// of these tests. Each case is paired with the same input without the warn's
// condition, which passes. The account rule's warn (no
// aws:allowedAccountIds) is tested in tests/edges_warn_test.go.

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/micahhausler/aws-iam-policy/policy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/report"
)

// AWS's documentation example accounts.
const (
	labAccount  = "111122223333"
	deployerARN = "arn:aws:iam::111122223333:user/deployer"
)

// fakeIAM answers GetUser and GetRole from its users and roles, and
// SimulatePrincipalPolicy with "allowed" for every action, or with simErr.
type fakeIAM struct {
	users, roles map[string]string // name -> ARN
	simErr       error
	simulated    int // SimulatePrincipalPolicy calls
}

func (f *fakeIAM) GetUser(_ context.Context, in *iam.GetUserInput, _ ...func(*iam.Options)) (*iam.GetUserOutput, error) {
	a, ok := f.users[aws.ToString(in.UserName)]
	if !ok {
		return nil, &iamtypes.NoSuchEntityException{Message: aws.String("The user with name " + aws.ToString(in.UserName) + " cannot be found.")}
	}
	return &iam.GetUserOutput{User: &iamtypes.User{Arn: aws.String(a), UserName: in.UserName}}, nil
}

func (f *fakeIAM) GetRole(_ context.Context, in *iam.GetRoleInput, _ ...func(*iam.Options)) (*iam.GetRoleOutput, error) {
	a, ok := f.roles[aws.ToString(in.RoleName)]
	if !ok {
		return nil, &iamtypes.NoSuchEntityException{Message: aws.String("The role with name " + aws.ToString(in.RoleName) + " cannot be found.")}
	}
	return &iam.GetRoleOutput{Role: &iamtypes.Role{Arn: aws.String(a), RoleName: in.RoleName}}, nil
}

func (f *fakeIAM) SimulatePrincipalPolicy(_ context.Context, in *iam.SimulatePrincipalPolicyInput, _ ...func(*iam.Options)) (*iam.SimulatePrincipalPolicyOutput, error) {
	f.simulated++
	if f.simErr != nil {
		return nil, f.simErr
	}
	out := &iam.SimulatePrincipalPolicyOutput{}
	for _, a := range in.ActionNames {
		out.EvaluationResults = append(out.EvaluationResults, iamtypes.EvaluationResult{
			EvalActionName: aws.String(a), EvalResourceName: aws.String("*"), EvalDecision: iamtypes.PolicyEvaluationDecisionTypeAllowed})
	}
	return out, nil
}

// sdkError wraps err as the SDK returns a failed SimulatePrincipalPolicy:
// an operation error around the HTTP response's.
func sdkError(status int, err error) error {
	return &smithy.OperationError{ServiceID: "IAM", OperationName: "SimulatePrincipalPolicy", Err: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: status}}, Err: err}}
}

// smallDeployerPolicy is a small policy in the committed policy's shape: what
// preflight simulates, one statement at a time.
func smallDeployerPolicy(t *testing.T) *policy.Policy {
	t.Helper()
	var p policy.Policy
	require.NoError(t, json.Unmarshal([]byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["kms:CreateKey","kms:TagResource"],"Resource":"*"},
		{"Effect":"Allow","Action":"cloudtrail:CreateTrail","Resource":"arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail"}]}`), &p))
	return &p
}

// The `deployer-permissions` check is a warn whenever it cannot simulate:
// docs/labctl.md's preflight table, "warn when it cannot be checked, and
// why"; docs/moto.md, "`deployer-permissions` is `warn`" on an endpoint
// without iam:SimulatePrincipalPolicy. It is a fail only when the
// simulation ran and denied an action.
func TestWarnDeployerPermissionsNotChecked(t *testing.T) {
	tests := []struct {
		name     string
		deployer string
		policy   bool // the build has a deployer policy for the stack
		simErr   error
		status   report.Status
		detail   string
	}{
		{"simulated, all allowed", deployerARN, true, nil, report.Pass,
			deployerARN + " may do all 3 action(s) of the deployer policy (iam:SimulatePrincipalPolicy)"},
		{"no deployer policy for this stack", deployerARN, false, nil, report.Warn,
			"not checked: the deployer policy could not be built"},
		{"deployer not looked up", "", true, nil, report.Warn,
			"not checked: the deployer could not be looked up (see deployer)"},
		// SimulatePrincipalPolicy's PolicySourceArn is "the Amazon Resource
		// Name (ARN) of a user, group, or role whose policies you want to
		// include in the simulation" (IAM API Reference): never the root.
		{"deployer is the account root", "arn:aws:iam::111122223333:root", true, nil, report.Warn,
			"not checked: IAM cannot simulate the account root"},
		{"simulation denied to the caller", deployerARN, true,
			sdkError(http.StatusForbidden, &smithy.GenericAPIError{Code: "AccessDenied", Message: "User: " + deployerARN + " is not authorized to perform: iam:SimulatePrincipalPolicy"}),
			report.Warn, "not checked: " + deployerARN + " may not call iam:SimulatePrincipalPolicy on " + deployerARN},
		// What moto answers (docs/moto.md): an HTML page, which the SDK
		// cannot deserialize.
		{"endpoint without the API", deployerARN, true, sdkError(http.StatusInternalServerError, &smithy.DeserializationError{Err: assert.AnError}),
			report.Warn, "not checked: iam:SimulatePrincipalPolicy failed: iam:SimulatePrincipalPolicy is not supported by this endpoint"},
		// IAM's throttling error (IAM API Reference, Common Errors:
		// "Throttling", HTTP 400) is no answer about the permissions: the
		// check is unknown, to be retried, not a warn that reads as settled.
		{"simulation throttled", deployerARN, true,
			sdkError(http.StatusBadRequest, &smithy.GenericAPIError{Code: "Throttling", Message: "Rate exceeded"}),
			report.Unknown, "AWS throttled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeIAM{simErr: tt.simErr}
			p := &Preflight{Stack: "s", Account: labAccount, Partition: "aws", Region: "us-west-2", Caller: deployerARN,
				Deployer: tt.deployer, IAM: f}
			if tt.policy {
				p.DeployerPolicy = smallDeployerPolicy(t)
			} else {
				p.DeployerPolicyNote = "the deployer policy could not be built for this stack: bucketName is not valid"
			}
			checks, err := p.permissionCheck(context.Background())
			require.NoError(t, err, "a check that cannot simulate is a warn, not an error")
			require.Len(t, checks, 1)
			assert.Equal(t, "deployer-permissions", checks[0].Name)
			assert.Equal(t, tt.status, checks[0].Status, checks[0].Detail)
			assert.Contains(t, checks[0].Detail, tt.detail)
			// "Not checked" means no simulation was asked for, or none answered.
			asked := tt.status == report.Pass || tt.simErr != nil
			assert.Equal(t, asked, f.simulated > 0, "SimulatePrincipalPolicy calls: %d", f.simulated)
		})
	}
}

// A key policy may name principals of other accounts (AWS KMS Developer
// Guide, "Allowing users in other accounts to use a KMS key"), and IAM's
// GetUser and GetRole answer only for the caller's own account (IAM API
// Reference: they take a name, not an ARN). Such a principal cannot be
// checked, which is a warn; one of this account that exists passes; one of
// this account that does not exist fails, since KMS refuses the policy
// ("The principals in the key policy must exist and be visible to KMS",
// AWS KMS API Reference, CreateKey, Policy).
func TestWarnKeyPrincipalInAnotherAccount(t *testing.T) {
	const (
		student = "arn:aws:iam::111122223333:user/student"
		foreign = "arn:aws:iam::444455556666:user/student"
		ghost   = "arn:aws:iam::111122223333:user/ghost"
	)
	tests := []struct {
		name   string
		users  []string
		status report.Status
		detail string
	}{
		{"a user of this account", []string{student}, report.Pass, "all exist: " + student},
		{"a user of another account", []string{foreign}, report.Warn,
			"in another account, not checked (IAM answers only for its own account): " + foreign + "; found: none"},
		{"one of each", []string{student, foreign}, report.Warn,
			"in another account, not checked (IAM answers only for its own account): " + foreign + "; found: " + student},
		// The fail outranks the warn: the missing one stops pulumi up.
		{"another account's and a missing one", []string{foreign, ghost}, report.Fail, ghost + " (keyUsers)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeIAM{users: map[string]string{"student": student}}
			p := &Preflight{Stack: "s", Account: labAccount, Partition: "aws", Region: "us-west-2",
				Config: &config.Config{KeyUsers: tt.users}, IAM: f}
			checks, err := p.principalChecks(context.Background())
			require.NoError(t, err)
			require.Len(t, checks, 1)
			assert.Equal(t, "key-principals", checks[0].Name)
			assert.Equal(t, tt.status, checks[0].Status, checks[0].Detail)
			assert.Contains(t, checks[0].Detail, tt.detail)
		})
	}
}

// fakeTrails answers GetTrailStatus, GetEventSelectors and ListTags for
// trails by ARN.
type fakeTrails struct {
	logging   map[string]bool
	selectors map[string]*cloudtrail.GetEventSelectorsOutput
	stackTag  map[string]string // ARN -> kms-lab:stack tag
}

func (f *fakeTrails) ListTags(_ context.Context, in *cloudtrail.ListTagsInput, _ ...func(*cloudtrail.Options)) (*cloudtrail.ListTagsOutput, error) {
	out := &cloudtrail.ListTagsOutput{}
	for _, arn := range in.ResourceIdList {
		rt := cttypes.ResourceTag{ResourceId: aws.String(arn)}
		if v, ok := f.stackTag[arn]; ok {
			rt.TagsList = []cttypes.Tag{{Key: aws.String("kms-lab:stack"), Value: aws.String(v)}}
		}
		out.ResourceTagList = append(out.ResourceTagList, rt)
	}
	return out, nil
}

func (f *fakeTrails) DescribeTrails(context.Context, *cloudtrail.DescribeTrailsInput, ...func(*cloudtrail.Options)) (*cloudtrail.DescribeTrailsOutput, error) {
	panic("managementEventsCheck is given the trails")
}

func (f *fakeTrails) GetTrailStatus(_ context.Context, in *cloudtrail.GetTrailStatusInput, _ ...func(*cloudtrail.Options)) (*cloudtrail.GetTrailStatusOutput, error) {
	return &cloudtrail.GetTrailStatusOutput{IsLogging: aws.Bool(f.logging[aws.ToString(in.Name)])}, nil
}

func (f *fakeTrails) GetEventSelectors(_ context.Context, in *cloudtrail.GetEventSelectorsInput, _ ...func(*cloudtrail.Options)) (*cloudtrail.GetEventSelectorsOutput, error) {
	if s, ok := f.selectors[aws.ToString(in.TrailName)]; ok {
		return s, nil
	}
	return &cloudtrail.GetEventSelectorsOutput{}, nil
}

// CloudTrail delivers the first copy of management events in a region
// free, and bills every further copy ($2.00 per 100,000 management events,
// AWS CloudTrail pricing, as docs/costs.md gives it); docs/labctl.md's
// preflight table: "warn: another trail already logs management events
// here". A cost, never a mistake, so a warn; it passes when no other trail
// delivers management events.
func TestWarnManagementEventsSecondCopy(t *testing.T) {
	const other = "arn:aws:cloudtrail:us-west-2:111122223333:trail/org-trail"
	basic := func(mgmt bool) *cloudtrail.GetEventSelectorsOutput {
		return &cloudtrail.GetEventSelectorsOutput{EventSelectors: []cttypes.EventSelector{
			{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(mgmt)}}}
	}
	// The advanced form of "log management events" (AWS CloudTrail User
	// Guide, "Logging management events": eventCategory equals Management).
	advanced := &cloudtrail.GetEventSelectorsOutput{AdvancedEventSelectors: []cttypes.AdvancedEventSelector{
		{Name: aws.String("Management events"), FieldSelectors: []cttypes.AdvancedFieldSelector{
			{Field: aws.String("eventCategory"), Equals: []string{"Management"}}}}}}
	tests := []struct {
		name      string
		logging   bool
		selectors *cloudtrail.GetEventSelectorsOutput
		status    report.Status
		detail    string
	}{
		{"another trail logging management events", true, basic(true), report.Warn,
			"org-trail already log(s) management events in us-west-2, so myTrail's copy is a second copy, billed at $2.00 per 100,000 management events"},
		{"the same, with advanced selectors", true, advanced, report.Warn, "org-trail already log(s) management events in us-west-2"},
		{"another trail, stopped", false, basic(true), report.Pass, "no other trail logs management events in us-west-2: myTrail's copy is the free first copy"},
		{"another trail logging data events only", true, basic(false), report.Pass, "myTrail's copy is the free first copy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := &fakeTrails{logging: map[string]bool{other: tt.logging},
				selectors: map[string]*cloudtrail.GetEventSelectorsOutput{other: tt.selectors}}
			p := &Preflight{Stack: "s", Account: labAccount, Region: "us-west-2",
				Config: &config.Config{TrailName: "myTrail"}, CloudTrail: ct}
			trails := []cttypes.Trail{{Name: aws.String("org-trail"), TrailARN: aws.String(other), HomeRegion: aws.String("us-west-2")}}
			c, err := p.managementEventsCheck(context.Background(), trails, p.namedTrail(context.Background(), trails))
			require.NoError(t, err)
			assert.Equal(t, "management-events", c.Name)
			assert.Equal(t, tt.status, c.Status, c.Detail)
			assert.Contains(t, c.Detail, tt.detail)
		})
	}
}

// myTrail itself, once deployed, is no second copy: a re-run of preflight
// on a deployed stack does not warn about the stack's own trail.
func TestWarnManagementEventsIgnoresMyTrail(t *testing.T) {
	const mine = "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail"
	ct := &fakeTrails{logging: map[string]bool{mine: true}, selectors: map[string]*cloudtrail.GetEventSelectorsOutput{
		mine: {EventSelectors: []cttypes.EventSelector{{IncludeManagementEvents: aws.Bool(true)}}}},
		stackTag: map[string]string{mine: "s"}}
	p := &Preflight{Stack: "s", Account: labAccount, Region: "us-west-2", Config: &config.Config{TrailName: "myTrail"}, CloudTrail: ct}
	trails := []cttypes.Trail{{Name: aws.String("myTrail"), TrailARN: aws.String(mine)}}
	c, err := p.managementEventsCheck(context.Background(), trails, p.namedTrail(context.Background(), trails))
	require.NoError(t, err)
	assert.Equal(t, report.Pass, c.Status, c.Detail)
}
