package verify

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

func (v *Verifier) trailChecks(ctx context.Context) []Check {
	o := v.Outputs
	what := "CloudTrail trail " + o.TrailName
	name := aws.String(o.TrailName)
	expectedTrail := o.TrailARN + " -> s3://" + o.BucketName
	// A trail is read in its home region, the region of its ARN: a
	// multi-region trail homed elsewhere is only a shadow here, which
	// GetTrail, GetEventSelectors and GetInsightSelectors do not answer for
	// by name.
	home := homeRegion(o.TrailARN)
	out, err := v.CloudTrail.GetTrail(ctx, &cloudtrail.GetTrailInput{Name: name}, home)
	if err != nil {
		return []Check{v.apiFailed("trail.exists", expectedTrail, err, what)}
	}
	var checks []Check
	if v.Guide != nil {
		// The guide names the bucket and leaves multi-region and log file
		// validation at the console's defaults.
		checks = trailSettingsChecks(out.Trail, o)[:1]
		if out.Trail == nil {
			return checks
		}
		checks = append(checks, bucketPrefixCheck(aws.ToString(out.Trail.S3BucketName), v.Guide.BucketPrefix))
	} else {
		checks = trailSettingsChecks(out.Trail, o)
	}
	checks = append(checks, logEncryptionCheck(out.Trail))

	if st, err := v.CloudTrail.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: name}, home); err != nil {
		checks = append(checks, v.apiFailed("trail.logging", "logging", err, "status of "+what))
	} else {
		observed := "not logging"
		if aws.ToBool(st.IsLogging) {
			observed = "logging"
		}
		checks = append(checks, compare("trail.logging", "logging", observed))
	}

	if sel, err := v.CloudTrail.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: name}, home); err != nil {
		checks = append(checks, v.apiFailed("trail.event-selectors", expectedSelectors(o), err, "event selectors of "+what))
	} else {
		checks = append(checks, eventSelectorsCheck(sel, o))
	}

	ins, err := v.CloudTrail.GetInsightSelectors(ctx, &cloudtrail.GetInsightSelectorsInput{TrailName: name}, home)
	switch {
	case err != nil && awsclient.Classify(err) == awsclient.KindNotFound:
		// AWS answers InsightNotEnabledException for a trail that never
		// had Insights.
		checks = append(checks, compare("trail.insight-selectors", listOrNone(sortedUnique(o.InsightTypes)), "none"))
	case err != nil:
		checks = append(checks, v.apiFailed("trail.insight-selectors", listOrNone(sortedUnique(o.InsightTypes)), err, "insight selectors of "+what))
	default:
		var types []string
		for _, s := range ins.InsightSelectors {
			types = append(types, string(s.InsightType))
		}
		checks = append(checks, compare("trail.insight-selectors", listOrNone(sortedUnique(o.InsightTypes)), listOrNone(sortedUnique(types))))
	}
	return checks
}

// homeRegion sends a CloudTrail call to the region of the trail's ARN,
// arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME; with no ARN the
// client's own region stays.
func homeRegion(trailARN string) func(*cloudtrail.Options) {
	return func(o *cloudtrail.Options) {
		if parts := strings.SplitN(trailARN, ":", 6); len(parts) == 6 && parts[3] != "" {
			o.Region = parts[3]
		}
	}
}

// trailSettingsChecks judges GetTrail's answer.
func trailSettingsChecks(t *cttypes.Trail, o *stackout.Outputs) []Check {
	expectedTrail := o.TrailARN + " -> s3://" + o.BucketName
	if t == nil {
		return []Check{failed("trail.exists", expectedTrail, "GetTrail returned no trail")}
	}
	region := "single-region"
	if aws.ToBool(t.IsMultiRegionTrail) {
		region = "multi-region"
	}
	global := "without global service events"
	if aws.ToBool(t.IncludeGlobalServiceEvents) {
		global = "with global service events"
	}
	return []Check{
		compare("trail.exists", expectedTrail, aws.ToString(t.TrailARN)+" -> s3://"+aws.ToString(t.S3BucketName)),
		compare("trail.multi-region", "multi-region, with global service events", region+", "+global),
		compare("trail.log-file-validation", onOff(true), onOff(aws.ToBool(t.LogFileValidationEnabled))),
	}
}

func expectedSelectors(o *stackout.Outputs) string {
	if excludesTrailBucket(o) {
		// What the program writes for dataEventsScope exclude-trail-bucket;
		// selector names are labels and are not compared.
		return "eventCategory=Data, resources.ARN notStartsWith [arn:" + o.Partition + ":s3:::" + o.BucketName + "/], resources.type=AWS::S3::Object | eventCategory=Management"
	}
	s := "ReadWriteType=All, management events"
	if o.DataEvents {
		s += ", data events AWS::S3::Object [arn:" + o.Partition + ":s3]"
	}
	return s
}

func excludesTrailBucket(o *stackout.Outputs) bool {
	return o.DataEvents && o.DataEventsScope == config.DataEventsExcludeTrailBucket
}

// eventSelectorsCheck compares the trail's selectors with the stack's: one
// basic selector, or, with dataEventsScope exclude-trail-bucket, advanced
// selectors. The other kind means someone changed the trail by hand.
func eventSelectorsCheck(out *cloudtrail.GetEventSelectorsOutput, o *stackout.Outputs) Check {
	expected := expectedSelectors(o)
	if excludesTrailBucket(o) {
		observed := describeAdvanced(out.AdvancedEventSelectors)
		// AWS keeps one kind at a time; should both be reported, the basic
		// ones are a difference too.
		for _, s := range out.EventSelectors {
			observed += " | basic: " + describeSelector(s)
		}
		return compare("trail.event-selectors", expected, observed)
	}
	if len(out.AdvancedEventSelectors) > 0 {
		var names []string
		for _, a := range out.AdvancedEventSelectors {
			names = append(names, aws.ToString(a.Name))
		}
		return Check{Name: "trail.event-selectors", Status: report.Warn, Expected: expected, Cause: CauseAdvancedSelectors,
			Observed: "advanced event selectors (" + strings.Join(names, ", ") + "), not compared"}
	}
	var parts []string
	for _, s := range out.EventSelectors {
		parts = append(parts, describeSelector(s))
	}
	observed := "none"
	if len(parts) > 0 {
		observed = strings.Join(parts, " | ")
	}
	return compare("trail.event-selectors", expected, observed)
}

// describeAdvanced writes advanced selectors in one canonical form: field
// selectors sorted by field, selectors sorted by their text.
func describeAdvanced(sels []cttypes.AdvancedEventSelector) string {
	if len(sels) == 0 {
		return "no advanced event selectors"
	}
	var parts []string
	for _, sel := range sels {
		var fields []string
		for _, f := range sel.FieldSelectors {
			d := aws.ToString(f.Field)
			ops := []struct {
				name   string
				values []string
			}{
				{"=", f.Equals}, {" notEquals ", f.NotEquals}, {" startsWith ", f.StartsWith}, {" notStartsWith ", f.NotStartsWith},
				{" endsWith ", f.EndsWith}, {" notEndsWith ", f.NotEndsWith},
			}
			for _, op := range ops {
				if len(op.values) == 0 {
					continue
				}
				vals := slices.Clone(op.values)
				slices.Sort(vals)
				if op.name == "=" {
					d += "=" + strings.Join(vals, ",")
				} else {
					d += op.name + "[" + strings.Join(vals, " ") + "]"
				}
			}
			fields = append(fields, d)
		}
		slices.Sort(fields)
		parts = append(parts, strings.Join(fields, ", "))
	}
	slices.Sort(parts)
	return strings.Join(parts, " | ")
}

func describeSelector(s cttypes.EventSelector) string {
	d := "ReadWriteType=" + string(s.ReadWriteType)
	if aws.ToBool(s.IncludeManagementEvents) {
		d += ", management events"
	} else {
		d += ", no management events"
	}
	for _, r := range s.DataResources {
		vals := slices.Clone(r.Values)
		slices.Sort(vals)
		d += fmt.Sprintf(", data events %s [%s]", aws.ToString(r.Type), strings.Join(vals, " "))
	}
	return d
}

// logEncryptionCheck wants log-file SSE-KMS off: the lab guide deselects
// it, the stack leaves the bucket's SSE-S3 to encrypt the logs, and a key
// for the logs would need its own key policy for CloudTrail.
func logEncryptionCheck(t *cttypes.Trail) Check {
	observed := "off (log files use the bucket's default encryption)"
	if t != nil && aws.ToString(t.KmsKeyId) != "" {
		observed = "SSE-KMS with " + aws.ToString(t.KmsKeyId)
	}
	return compare("trail.log-file-sse-kms", "off (log files use the bucket's default encryption)", observed)
}
