package verify

import (
	"encoding/json"

	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
)

const (
	student = "arn:aws:iam::111122223333:user/AWSLabsUser-abc"
	root    = "arn:aws:iam::111122223333:root"
)

func labOutputs() *stackout.Outputs {
	return &stackout.Outputs{
		AccountID: "111122223333", Region: "us-west-2", Partition: "aws",
		KeyID:             "1234abcd-12ab-34cd-56ef-1234567890ab",
		KeyARN:            "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		KeyAlias:          "alias/myFirstKey",
		KeyAdministrators: []string{student}, KeyUsers: []string{student}, KeyRotationEnabled: true,
		BucketName: "mycloudtrailbucket20261126175000000000000001", ObjectOwnership: "BucketOwnerPreferred",
		PublicAccessBlock: stackout.PublicAccessBlock{BlockPublicPolicy: true, RestrictPublicBuckets: true},
		BucketEncryption:  "AES256", ObjectKey: "lab-image.png",
		ObjectURL:       "https://mycloudtrailbucket20261126175000000000000001.s3.us-west-2.amazonaws.com/lab-image.png",
		PublicObjectACL: true, TrailName: "myTrail", TrailARN: "arn:aws:cloudtrail:us-west-2:111122223333:trail/myTrail",
		DataEvents: true, InsightTypes: []string{"ApiCallRateInsight", "ApiErrorRateInsight"},
		LogPrefix: "AWSLogs/111122223333/CloudTrail/us-west-2/",
	}
}

type stmt = map[string]any

func rootStatement() stmt {
	return stmt{"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": stmt{"AWS": root}, "Action": "kms:*", "Resource": "*"}
}

func adminStatement(principals ...string) stmt {
	return stmt{"Sid": "Allow access for Key Administrators", "Effect": "Allow", "Principal": stmt{"AWS": principals},
		"Action": []string{"kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
			"kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"},
		"Resource": "*"}
}

func useStatement(principals ...string) stmt {
	return stmt{"Sid": "Allow use of the key", "Effect": "Allow", "Principal": stmt{"AWS": principals},
		"Action":   []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
		"Resource": "*"}
}

func grantStatement(principals ...string) stmt {
	return stmt{"Sid": "Allow attachment of persistent resources", "Effect": "Allow", "Principal": stmt{"AWS": principals},
		"Action": []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"}, "Resource": "*",
		"Condition": stmt{"Bool": stmt{"kms:GrantIsForAWSResource": "true"}}}
}

func policyDoc(statements ...stmt) string {
	data, _ := json.Marshal(stmt{"Version": "2012-10-17", "Id": "key-consolepolicy-3", "Statement": statements})
	return string(data)
}

func byName(checks []Check) map[string]Check {
	out := map[string]Check{}
	for _, c := range checks {
		out[c.Name] = c
	}
	return out
}
