package plan

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// cloudTrailService is the principal CloudTrail writes log files as
// (CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail").
const cloudTrailService = "cloudtrail.amazonaws.com"

// policyDoc is an IAM policy's JSON, where a statement, a principal's
// service and a condition's value may each be one value or a list (IAM
// User Guide, "IAM JSON policy element reference").
type policyDoc struct {
	Statement oneOrMany[statement] `json:"Statement"`
}

type statement struct {
	Effect    string                                  `json:"Effect"`
	Principal json.RawMessage                         `json:"Principal"`
	Condition map[string]map[string]oneOrMany[string] `json:"Condition"`
}

type oneOrMany[T any] []T

func (o *oneOrMany[T]) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		return json.Unmarshal(b, (*[]T)(o))
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*o = []T{one}
	return nil
}

// cloudTrailWriters are the aws:SourceArn values of the policy's Allow
// statements for CloudTrail: the trails it lets write to the bucket, sorted.
// A bucket without a policy has none.
func cloudTrailWriters(policy string) ([]string, error) {
	if strings.TrimSpace(policy) == "" {
		return nil, nil
	}
	var doc policyDoc
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return nil, fmt.Errorf("not a JSON policy document")
	}
	seen := map[string]bool{}
	for _, st := range doc.Statement {
		if st.Effect != "Allow" || !forCloudTrail(st.Principal) {
			continue
		}
		for _, keys := range st.Condition {
			for key, values := range keys {
				// Condition keys are not case-sensitive (IAM User Guide,
				// "IAM JSON policy elements: Condition").
				if strings.EqualFold(key, "aws:SourceArn") {
					for _, v := range values {
						seen[v] = true
					}
				}
			}
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out, nil
}

// forCloudTrail says a statement's principal is CloudTrail's service.
func forCloudTrail(raw json.RawMessage) bool {
	var p struct {
		Service oneOrMany[string] `json:"Service"`
	}
	if json.Unmarshal(raw, &p) != nil {
		return false
	}
	for _, s := range p.Service {
		if s == cloudTrailService {
			return true
		}
	}
	return false
}

// labTrailARN says arn names the lab's trail: a trail of this account
// with the lab's name, "arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME"
// (CloudTrail API Reference, the trail ARN format). Any region, since the
// lab's trail may be homed in another; a wildcard in the name or account
// could name another trail, so it does not count.
func labTrailARN(arn, account, name string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "cloudtrail" &&
		parts[4] == account && parts[5] == "trail/"+name
}
