package cloudtrailtest

import (
	"time"

	"github.com/kms-lab/kms-lab/internal/testenv/console"
)

// Key is the student's key as a CloudTrail record names it.
type Key struct {
	Account, Region string
	Student         string // the IAM user ARN that did the lab
	ID, ARN         string
}

// PutKeyPolicyRecord is the CloudTrail record of the console's PutKeyPolicy
// when the student sets the key users, the policy console.KeyPolicy (AWS
// KMS Developer Guide, "PutKeyPolicy" log entry example: requestParameters
// keyId, policyName, policy as a JSON string).
func PutKeyPolicyRecord(k Key, at time.Time, eventID string, users []string) Record {
	return Record{
		"eventVersion": "1.08", "eventTime": at.UTC().Format(time.RFC3339), "eventSource": "kms.amazonaws.com",
		"eventName": "PutKeyPolicy", "awsRegion": k.Region, "sourceIPAddress": "AWS Internal", "userAgent": "AWS Internal",
		"userIdentity": map[string]any{"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": k.Student, "accountId": k.Account,
			"userName": k.Student[len("arn:aws:iam::123456789012:user/"):]},
		"requestParameters": map[string]any{"keyId": k.ID, "policyName": "default",
			"policy": console.KeyPolicy(k.Account, k.Student, users), "bypassPolicyLockoutSafetyCheck": false},
		"responseElements": nil, "requestID": "r-" + eventID, "eventID": eventID, "readOnly": false,
		"resources": []map[string]any{{"accountId": k.Account, "type": "AWS::KMS::Key", "ARN": k.ARN}},
		"eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": k.Account, "eventCategory": "Management",
	}
}
