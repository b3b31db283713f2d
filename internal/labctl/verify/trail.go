package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kms-lab/kms-lab/internal/config"
	"github.com/kms-lab/kms-lab/internal/labctl/account"
	"github.com/kms-lab/kms-lab/internal/labctl/stackout"
	"github.com/kms-lab/kms-lab/internal/report"
)

func (j judge) trailChecks() []Check {
	o := j.o
	expectedTrail := o.TrailARN + " -> s3://" + o.BucketName
	if !j.s.Trails.OK() {
		return []Check{unread("trail.exists", expectedTrail, j.s.Trails.Error)}
	}
	t := j.s.LabTrail()
	if t == nil {
		return []Check{j.notFound("trail.exists", expectedTrail, "CloudTrail trail "+o.TrailName)}
	}
	var checks []Check
	if j.guide != nil {
		// The guide names the bucket and leaves multi-region and log file
		// validation at the console's defaults.
		checks = append(trailSettingsChecks(*t, o)[:1], bucketPrefixCheck(t.Bucket, j.guide.BucketPrefix))
	} else {
		checks = trailSettingsChecks(*t, o)
	}
	checks = append(checks, logEncryptionCheck(*t))
	checks = append(checks, field(t.Logging, "trail.logging", "logging",
		func() Check { return unread("trail.logging", "logging", nil) },
		func(on bool) Check {
			observed := "not logging"
			if on {
				observed = "logging"
			}
			return compare("trail.logging", "logging", observed)
		}))
	checks = append(checks, field(t.Selectors, "trail.event-selectors", expectedSelectors(o),
		func() Check { return unread("trail.event-selectors", expectedSelectors(o), nil) },
		func(sel account.Selectors) Check { return eventSelectorsCheck(sel, o) }))
	expectedInsights := listOrNone(sortedUnique(o.InsightTypes))
	checks = append(checks, field(t.Insights, "trail.insight-selectors", expectedInsights,
		func() Check { return compare("trail.insight-selectors", expectedInsights, "none") },
		func(types []string) Check {
			return compare("trail.insight-selectors", expectedInsights, listOrNone(sortedUnique(types)))
		}))
	return checks
}

// trailSettingsChecks judges the trail's settings as DescribeTrails shows
// them.
func trailSettingsChecks(t account.Trail, o *stackout.Outputs) []Check {
	expectedTrail := o.TrailARN + " -> s3://" + o.BucketName
	region := "single-region"
	if t.MultiRegion {
		region = "multi-region"
	}
	global := "without global service events"
	if t.GlobalServiceEvents {
		global = "with global service events"
	}
	return []Check{
		compare("trail.exists", expectedTrail, t.ARN+" -> s3://"+t.Bucket),
		compare("trail.multi-region", "multi-region, with global service events", region+", "+global),
		compare("trail.log-file-validation", onOff(true), onOff(t.LogFileValidation)),
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
func eventSelectorsCheck(out account.Selectors, o *stackout.Outputs) Check {
	expected := expectedSelectors(o)
	if excludesTrailBucket(o) {
		observed := describeAdvanced(out.Advanced)
		// AWS keeps one kind at a time; should both be reported, the basic
		// ones are a difference too.
		for _, s := range out.Basic {
			observed += " | basic: " + describeSelector(s)
		}
		return compare("trail.event-selectors", expected, observed)
	}
	if len(out.Advanced) > 0 {
		var names []string
		for _, a := range out.Advanced {
			names = append(names, a.Name)
		}
		return Check{Name: "trail.event-selectors", Status: report.Warn, Expected: expected, Cause: CauseAdvancedSelectors,
			Observed: "advanced event selectors (" + strings.Join(names, ", ") + "), not compared"}
	}
	var parts []string
	for _, s := range out.Basic {
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
func describeAdvanced(sels []account.AdvancedEventSelector) string {
	if len(sels) == 0 {
		return "no advanced event selectors"
	}
	var parts []string
	for _, sel := range sels {
		var fields []string
		for _, f := range sel.FieldSelectors {
			d := f.Field
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

func describeSelector(s account.EventSelector) string {
	d := "ReadWriteType=" + s.ReadWriteType
	if s.IncludeManagementEvents {
		d += ", management events"
	} else {
		d += ", no management events"
	}
	for _, r := range s.DataResources {
		vals := slices.Clone(r.Values)
		slices.Sort(vals)
		d += fmt.Sprintf(", data events %s [%s]", r.Type, strings.Join(vals, " "))
	}
	return d
}

// logEncryptionCheck wants log-file SSE-KMS off: the lab guide deselects
// it, the stack leaves the bucket's SSE-S3 to encrypt the logs, and a key
// for the logs would need its own key policy for CloudTrail.
func logEncryptionCheck(t account.Trail) Check {
	observed := "off (log files use the bucket's default encryption)"
	if t.KMSKeyID != "" {
		observed = "SSE-KMS with " + t.KMSKeyID
	}
	return compare("trail.log-file-sse-kms", "off (log files use the bucket's default encryption)", observed)
}
