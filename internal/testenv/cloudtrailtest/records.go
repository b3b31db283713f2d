// Package cloudtrailtest writes CloudTrail log files with the record shapes
// AWS documents for the lab's activity (KMS GenerateDataKey and Decrypt on
// behalf of S3, S3 PutObject/GetObject data events, the console's
// PutKeyPolicy of task 6) and for unrelated account activity, for labctl's
// tests and benchmark: it is the log delivery that emulators lack. Its shapes are checked against records
// written after AWS's documented examples (shape_test.go); the events
// package's own tests use those records, not this builder.
package cloudtrailtest

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Record is one CloudTrail record, marshalled as-is.
type Record = map[string]any

// Lab names the resources and the student the records are about.
type Lab struct {
	AccountID string
	Region    string
	Partition string
	KeyID     string
	Bucket    string
	ObjectKey string
	UserName  string // e.g. AWSLabsUser-abc
	SourceIP  string // the student's address
}

// KeyARN is the lab key's ARN.
func (l Lab) KeyARN() string {
	return fmt.Sprintf("arn:%s:kms:%s:%s:key/%s", l.Partition, l.Region, l.AccountID, l.KeyID)
}

// objectARN is the lab image's ARN, the aws:s3:arn encryption context.
func (l Lab) objectARN() string {
	return fmt.Sprintf("arn:%s:s3:::%s/%s", l.Partition, l.Bucket, l.ObjectKey)
}

func (l Lab) userARN() string {
	return fmt.Sprintf("arn:%s:iam::%s:user/%s", l.Partition, l.AccountID, l.UserName)
}

func (l Lab) identity(invokedBy string) Record {
	id := Record{
		"type": "IAMUser", "principalId": "AIDAEXAMPLEUSERID0001", "arn": l.userARN(),
		"accountId": l.AccountID, "accessKeyId": "ASIAEXAMPLEKEYID0001", "userName": l.UserName,
	}
	if invokedBy != "" {
		id["invokedBy"] = invokedBy
	}
	return id
}

func (l Lab) base(t time.Time, eventID, source, name string) Record {
	return Record{
		"eventVersion": "1.11", "eventTime": t.UTC().Format(time.RFC3339), "eventSource": source,
		"eventName": name, "awsRegion": l.Region, "requestID": "r" + eventID[1:], "eventID": eventID,
		"eventType": "AwsApiCall", "recipientAccountId": l.AccountID,
	}
}

// kmsKeyResource is how the KMS guide's GenerateDataKey and Decrypt
// examples list the key: ARN and account, no resource type.
func (l Lab) kmsKeyResource() []Record {
	return []Record{{"accountId": l.AccountID, "ARN": l.KeyARN()}}
}

// keyMaterial is the additionalEventData of KMS cryptographic operations.
func keyMaterial() Record {
	return Record{"keyMaterialId": "123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"}
}

// GenerateDataKey is the call S3 makes to KMS when the image is uploaded
// with SSE-KMS: invoked by S3 for the student, the key named by ID, the
// object in the encryption context.
func (l Lab) GenerateDataKey(t time.Time, eventID string) Record {
	r := l.base(t, eventID, "kms.amazonaws.com", "GenerateDataKey")
	r["userIdentity"] = l.identity("s3.amazonaws.com")
	r["sourceIPAddress"] = "s3.amazonaws.com"
	r["userAgent"] = "s3.amazonaws.com"
	r["requestParameters"] = Record{
		"keyId": l.KeyID, "keySpec": "AES_256",
		"encryptionContext": Record{"aws:s3:arn": l.objectARN()},
	}
	r["responseElements"] = nil
	r["additionalEventData"] = keyMaterial()
	r["tlsDetails"] = Record{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_256_GCM_SHA384",
		"clientProvidedHostHeader": fmt.Sprintf("kms.%s.amazonaws.com", l.Region)}
	r["readOnly"] = true
	r["resources"] = l.kmsKeyResource()
	r["managementEvent"] = true
	r["eventCategory"] = "Management"
	return r
}

// Decrypt is the call S3 makes to KMS when the image is opened in the
// console. Without a keyId parameter (optional for a symmetric key), only
// resources names the key.
func (l Lab) Decrypt(t time.Time, eventID string) Record {
	r := l.base(t, eventID, "kms.amazonaws.com", "Decrypt")
	r["userIdentity"] = l.identity("s3.amazonaws.com")
	r["sourceIPAddress"] = "s3.amazonaws.com"
	r["userAgent"] = "s3.amazonaws.com"
	r["requestParameters"] = Record{
		"encryptionAlgorithm": "SYMMETRIC_DEFAULT",
		"encryptionContext":   Record{"aws:s3:arn": l.objectARN()},
	}
	r["responseElements"] = nil
	r["additionalEventData"] = keyMaterial()
	r["readOnly"] = true
	r["resources"] = l.kmsKeyResource()
	r["managementEvent"] = true
	r["eventCategory"] = "Management"
	return r
}

func (l Lab) s3DataEvent(t time.Time, eventID, name string, readOnly bool) Record {
	r := l.base(t, eventID, "s3.amazonaws.com", name)
	r["eventVersion"] = "1.09"
	r["userIdentity"] = l.identity("")
	r["sourceIPAddress"] = l.SourceIP
	r["userAgent"] = "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750]"
	r["readOnly"] = readOnly
	r["resources"] = []Record{
		{"type": "AWS::S3::Object", "ARN": l.objectARN()},
		{"accountId": l.AccountID, "type": "AWS::S3::Bucket", "ARN": fmt.Sprintf("arn:%s:s3:::%s", l.Partition, l.Bucket)},
	}
	r["managementEvent"] = false
	r["eventCategory"] = "Data"
	r["tlsDetails"] = Record{"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
		"clientProvidedHostHeader": fmt.Sprintf("%s.s3.%s.amazonaws.com", l.Bucket, l.Region)}
	return r
}

// PutObject is the S3 data event of the image upload with SSE-KMS.
func (l Lab) PutObject(t time.Time, eventID string) Record {
	r := l.s3DataEvent(t, eventID, "PutObject", false)
	r["requestParameters"] = Record{
		"bucketName": l.Bucket, "Host": fmt.Sprintf("%s.s3.%s.amazonaws.com", l.Bucket, l.Region), "key": l.ObjectKey,
		"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": l.KeyARN(),
	}
	r["responseElements"] = Record{
		"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": l.KeyARN(),
	}
	r["additionalEventData"] = Record{"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
		"bytesTransferredIn": 48213, "SSEApplied": "SSE_KMS", "AuthenticationMethod": "AuthHeader", "bytesTransferredOut": 0,
		"x-amz-id-2": "Example+AmzId2"}
	return r
}

// GetObject is the S3 data event of opening the image in the console.
func (l Lab) GetObject(t time.Time, eventID string) Record {
	r := l.s3DataEvent(t, eventID, "GetObject", true)
	r["requestParameters"] = Record{
		"bucketName": l.Bucket, "Host": fmt.Sprintf("%s.s3.%s.amazonaws.com", l.Bucket, l.Region), "key": l.ObjectKey,
	}
	r["responseElements"] = nil
	r["additionalEventData"] = Record{"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 0,
		"SSEApplied": "SSE_KMS", "AuthenticationMethod": "QueryString", "bytesTransferredOut": 48213, "x-amz-id-2": "Example+AmzId2"}
	return r
}

// Elsewhere returns a copy of l describing another key and another bucket
// of the same account, for records that must not match.
func (l Lab) Elsewhere(keyID, bucket string) Lab {
	o := l
	o.KeyID, o.Bucket = keyID, bucket
	return o
}

// Noise returns one record of everyday account activity that references
// neither the lab key nor the lab image: the bulk of a real trail.
func (l Lab) Noise(rng *rand.Rand, t time.Time, eventID string) Record {
	switch rng.IntN(6) {
	case 0:
		r := l.base(t, eventID, "ec2.amazonaws.com", "DescribeInstances")
		r["userIdentity"] = l.identity("")
		r["sourceIPAddress"] = l.SourceIP
		r["userAgent"] = "aws-cli/2.17.0 Python/3.11.9 Linux/6.1 exe/x86_64"
		r["requestParameters"] = Record{"instancesSet": Record{}, "filterSet": Record{"items": []Record{{"name": "instance-state-name", "valueSet": Record{"items": []Record{{"value": "running"}}}}}}}
		r["responseElements"] = nil
		r["readOnly"] = true
		r["managementEvent"] = true
		r["eventCategory"] = "Management"
		return r
	case 1:
		r := l.base(t, eventID, "sts.amazonaws.com", "AssumeRole")
		r["userIdentity"] = Record{"type": "AWSService", "invokedBy": "lambda.amazonaws.com"}
		r["sourceIPAddress"] = "lambda.amazonaws.com"
		r["userAgent"] = "lambda.amazonaws.com"
		r["requestParameters"] = Record{"roleArn": fmt.Sprintf("arn:%s:iam::%s:role/service-role/report-fn-role", l.Partition, l.AccountID), "roleSessionName": "report-fn"}
		r["responseElements"] = Record{"credentials": Record{"accessKeyId": "ASIAEXAMPLENOISE0001", "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLETOKEN", "expiration": t.Add(time.Hour).UTC().Format("Jan 2, 2006, 3:04:05 PM")}}
		r["readOnly"] = true
		r["resources"] = []Record{{"accountId": l.AccountID, "type": "AWS::IAM::Role", "ARN": fmt.Sprintf("arn:%s:iam::%s:role/service-role/report-fn-role", l.Partition, l.AccountID)}}
		r["managementEvent"] = true
		r["eventCategory"] = "Management"
		return r
	case 2:
		// Another key, another bucket, another object: SSE-KMS traffic
		// that is not the lab's.
		other := l.Elsewhere(fmt.Sprintf("0f0e0d0c-%04x-4b3a-9c8d-%012x", rng.IntN(1<<16), rng.Int64N(1<<48)), "app-data-"+l.AccountID)
		other.ObjectKey = fmt.Sprintf("reports/2026/report-%05d.csv", rng.IntN(100000))
		return other.Decrypt(t, eventID)
	case 3:
		other := l.Elsewhere(l.KeyID, "app-data-"+l.AccountID)
		other.ObjectKey = fmt.Sprintf("uploads/img-%05d.jpg", rng.IntN(100000))
		r := other.GetObject(t, eventID)
		r["userIdentity"] = Record{"type": "AssumedRole", "principalId": "AROAEXAMPLE:web", "arn": fmt.Sprintf("arn:%s:sts::%s:assumed-role/web/i-0abc", l.Partition, l.AccountID), "accountId": l.AccountID}
		r["additionalEventData"] = Record{"SignatureVersion": "SigV4", "SSEApplied": "Default_SSE_S3", "AuthenticationMethod": "AuthHeader", "bytesTransferredOut": rng.IntN(1 << 20)}
		return r
	case 4:
		r := l.base(t, eventID, "cloudtrail.amazonaws.com", "LookupEvents")
		r["userIdentity"] = l.identity("")
		r["sourceIPAddress"] = l.SourceIP
		r["userAgent"] = "AWS Internal"
		r["requestParameters"] = Record{"maxResults": 50, "startTime": t.Add(-time.Hour).UTC().Format(time.RFC3339)}
		r["responseElements"] = nil
		r["readOnly"] = true
		r["managementEvent"] = true
		r["eventCategory"] = "Management"
		return r
	default:
		r := l.base(t, eventID, "kms.amazonaws.com", "ListAliases")
		r["userIdentity"] = l.identity("")
		r["sourceIPAddress"] = l.SourceIP
		r["userAgent"] = "AWS Internal"
		r["requestParameters"] = nil
		r["responseElements"] = nil
		r["readOnly"] = true
		r["managementEvent"] = true
		r["eventCategory"] = "Management"
		return r
	}
}
