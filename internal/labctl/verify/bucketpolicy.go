package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/micahhausler/aws-iam-policy/policy"

	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

const cloudTrailService = "service:cloudtrail.amazonaws.com"

// bucketPolicyCheck verifies the two statements CloudTrail needs to deliver
// logs, each scoped to this trail by aws:SourceArn, and that no statement
// opens the bucket of logs to everyone.
func bucketPolicyCheck(doc string, o *stackout.Outputs) Check {
	logs := fmt.Sprintf("%s/AWSLogs/%s/*", o.BucketARN(), o.AccountID)
	// With no trail found (labctl check of a bucket found by its prefix)
	// there is no ARN to compare aws:SourceArn with: the statements must
	// still name one trail, and no message shows an empty ARN.
	source, scope := "aws:SourceArn="+o.TrailARN, "only for "+o.TrailARN
	if o.TrailARN == "" {
		source, scope = "aws:SourceArn naming one trail (no trail found to compare it with)", "each for one trail by aws:SourceArn"
	}
	expected := fmt.Sprintf("cloudtrail.amazonaws.com: s3:GetBucketAcl on %s, s3:PutObject on %s with x-amz-acl=bucket-owner-full-control; both for %s",
		o.BucketARN(), logs, source)
	statements, err := parsePolicy(doc)
	if err != nil {
		return failed("bucket.policy", expected, err.Error())
	}
	var (
		aclOK, putOK bool
		problems     []string
	)
	for _, st := range statements {
		if st.Effect != policy.EffectAllow {
			continue
		}
		principals := awsPrincipals(st, o.Partition)
		if slices.Contains(principals, "*") && conditionCount(st) == 0 {
			problems = append(problems, fmt.Sprintf("statement %q allows everyone %s", st.Sid, strings.Join(values(st.Action), ", ")))
		}
		if !slices.Contains(principals, cloudTrailService) {
			continue
		}
		resources := values(st.Resource)
		sourceArns := conditionValues(st, "StringEquals", "aws:SourceArn")
		sourceOK := slices.Equal(sourceArns, []string{o.TrailARN}) || (o.TrailARN == "" && len(sourceArns) == 1 && sourceArns[0] != "")
		if allows(st, "s3:GetBucketAcl") && slices.Contains(resources, o.BucketARN()) {
			if sourceOK {
				aclOK = true
			} else {
				problems = append(problems, "s3:GetBucketAcl is not limited to "+source)
			}
		}
		if allows(st, "s3:PutObject") && slices.Contains(resources, logs) {
			aclCond := slices.Equal(conditionValues(st, "StringEquals", "s3:x-amz-acl"), []string{"bucket-owner-full-control"})
			switch {
			case !aclCond:
				problems = append(problems, "s3:PutObject lacks StringEquals s3:x-amz-acl=bucket-owner-full-control")
			case !sourceOK:
				problems = append(problems, "s3:PutObject is not limited to "+source)
			default:
				putOK = true
			}
		}
	}
	if !aclOK && !slices.ContainsFunc(problems, func(p string) bool { return strings.HasPrefix(p, "s3:GetBucketAcl") }) {
		problems = append(problems, "no s3:GetBucketAcl for cloudtrail.amazonaws.com on "+o.BucketARN())
	}
	if !putOK && !slices.ContainsFunc(problems, func(p string) bool { return strings.HasPrefix(p, "s3:PutObject") }) {
		problems = append(problems, "no s3:PutObject for cloudtrail.amazonaws.com on "+logs)
	}
	if len(problems) > 0 {
		return failed("bucket.policy", expected, strings.Join(problems, "; "))
	}
	return Check{Name: "bucket.policy", Status: report.Pass, Expected: expected,
		Observed: "CloudTrail may read the ACL and write " + logs + ", " + scope}
}
