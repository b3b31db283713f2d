package plan

import (
	"fmt"
	"strings"

	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
)

// The prices a trail's events cost, from docs/costs.md ("The pricing
// facts": AWS CloudTrail pricing, and Costs for Insights events). A trail
// costs nothing itself; each day it runs, its events do.
const (
	priceManagementCopy = "management events are free in the account's first copy and $2.00 per 100,000 in another"
	priceDataEvents     = "data events cost $0.10 per 100,000"
	priceInsights       = "Insights costs about $0.35 per 100,000 events analyzed per type (unconfirmed)"
)

// trailCost describes what a trail logs and what that costs a day.
func trailCost(sel []cttypes.EventSelector, adv []cttypes.AdvancedEventSelector, insights []cttypes.InsightSelector) string {
	var logs, costs []string
	mgmt, data := false, false
	for _, s := range sel {
		if s.IncludeManagementEvents == nil || *s.IncludeManagementEvents {
			mgmt = true
		}
		for _, d := range s.DataResources {
			data = true
			logs = append(logs, fmt.Sprintf("data events of %s %s", deref(d.Type), strings.Join(d.Values, ",")))
		}
	}
	for _, a := range adv {
		kind := "data"
		for _, f := range a.FieldSelectors {
			if deref(f.Field) == "eventCategory" && len(f.Equals) > 0 && f.Equals[0] == "Management" {
				kind = "management"
			}
		}
		if kind == "management" {
			mgmt = true
		} else {
			data = true
		}
		name := deref(a.Name)
		if name == "" {
			name = "unnamed"
		}
		logs = append(logs, fmt.Sprintf("advanced selector %q (%s events)", name, kind))
	}
	if mgmt {
		logs = append([]string{"management events"}, logs...)
		costs = append(costs, priceManagementCopy)
	}
	if data {
		costs = append(costs, priceDataEvents)
	}
	if len(insights) > 0 {
		types := make([]string, len(insights))
		for i, in := range insights {
			types[i] = string(in.InsightType)
		}
		logs = append(logs, "Insights ("+strings.Join(types, ", ")+")")
		costs = append(costs, priceInsights)
	}
	if len(logs) == 0 {
		return "logs no events; costs nothing a day"
	}
	return "logs " + strings.Join(logs, ", ") + "; each day it runs costs what that day's events cost: " + sentence(costs)
}

// sentence joins clauses as prose: "a", "a and b", "a, b and c".
func sentence(clauses []string) string {
	if len(clauses) < 2 {
		return strings.Join(clauses, "")
	}
	return strings.Join(clauses[:len(clauses)-1], ", ") + " and " + clauses[len(clauses)-1]
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
