package plan

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// WriteText writes the plan as a tree of components and their children,
// each with the facts a reviewer checks.
func WriteText(w io.Writer, p *Plan) error {
	tw := &treeWriter{w: w}
	tw.printf("Plan for stack %s (project %s): %d resources\n", p.Stack, p.Project, len(p.Resources))
	for _, top := range topLevel(p) {
		tw.resource(p, top, 0)
	}
	tw.printf("\nOutputs:\n")
	for _, k := range slices.Sorted(maps.Keys(p.Outputs)) {
		tw.printf("  %s: %s\n", k, compact(p.Outputs[k]))
	}
	return tw.err
}

// WriteMarkdown writes the plan for a pull-request comment: a summary line,
// the same tree in a code block, and the outputs in a table.
func WriteMarkdown(w io.Writer, p *Plan) error {
	tw := &treeWriter{w: w}
	tw.printf("### kms-lab plan: `%s`\n\n", p.Stack)
	tw.printf("%d resources would be registered.\n\n", len(p.Resources))
	tw.printf("```text\n")
	for _, top := range topLevel(p) {
		tw.resource(p, top, 0)
	}
	tw.printf("```\n\n")
	tw.printf("<details><summary>Outputs</summary>\n\n| output | value |\n|---|---|\n")
	for _, k := range slices.Sorted(maps.Keys(p.Outputs)) {
		tw.printf("| `%s` | `%s` |\n", k, strings.ReplaceAll(compact(p.Outputs[k]), "|", "\\|"))
	}
	tw.printf("\n</details>\n")
	return tw.err
}

type treeWriter struct {
	w   io.Writer
	err error
}

func (t *treeWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

func (t *treeWriter) resource(p *Plan, r Resource, depth int) {
	pad := strings.Repeat("  ", depth)
	t.printf("%s%s %s\n", pad, r.Type, r.Name)
	for _, f := range facts(r) {
		t.printf("%s    %s\n", pad, f)
	}
	if len(r.DependsOn) > 0 {
		names := make([]string, 0, len(r.DependsOn))
		for _, d := range r.DependsOn {
			names = append(names, shortURN(d))
		}
		t.printf("%s    depends on: %s\n", pad, strings.Join(names, ", "))
	}
	for _, c := range p.children(r.URN) {
		t.resource(p, c, depth+1)
	}
}

// topLevel are resources whose parent is not in the plan (the stack).
func topLevel(p *Plan) []Resource {
	in := map[string]bool{}
	for _, r := range p.Resources {
		in[r.URN] = true
	}
	var out []Resource
	for _, r := range p.Resources {
		if !in[r.Parent] {
			out = append(out, r)
		}
	}
	return out
}

// shortURN is a URN's type and name: "aws:s3/bucketPolicy:BucketPolicy::trail-bucket".
func shortURN(urn string) string {
	parts := strings.Split(urn, "::")
	if len(parts) < 4 {
		return urn
	}
	types := strings.Split(parts[2], "$")
	return types[len(types)-1] + "::" + parts[3]
}

// facts picks, per resource type, what a reviewer checks.
func facts(r Resource) []string {
	in := r.Inputs
	switch r.Type {
	case "aws:kms/key:Key":
		out := []string{
			fmt.Sprintf("%s %s, rotation %s, deletion window %s days",
				str(in["customerMasterKeySpec"]), str(in["keyUsage"]), onOff(in["enableKeyRotation"]), str(in["deletionWindowInDays"])),
			fmt.Sprintf("description: %s", str(in["description"])),
		}
		return append(out, statementFacts(in["policy"])...)
	case "aws:kms/alias:Alias":
		return []string{"name: " + str(in["name"])}
	case "aws:s3/bucketV2:BucketV2":
		name, _ := in["bucket"].(string)
		if name == "" {
			name = str(in["bucketPrefix"]) + "<26 characters chosen at create time>"
		}
		return []string{fmt.Sprintf("bucket: %s, forceDestroy %s", name, onOff(in["forceDestroy"]))}
	case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
		return []string{fmt.Sprintf("blockPublicAcls=%s ignorePublicAcls=%s blockPublicPolicy=%s restrictPublicBuckets=%s",
			str(in["blockPublicAcls"]), str(in["ignorePublicAcls"]), str(in["blockPublicPolicy"]), str(in["restrictPublicBuckets"]))}
	case "aws:s3/bucketOwnershipControls:BucketOwnershipControls":
		if rule, ok := in["rule"].(map[string]any); ok {
			return []string{"object ownership: " + str(rule["objectOwnership"])}
		}
	case "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2":
		return []string{"default encryption: " + compact(in["rules"])}
	case "aws:s3/bucketPolicy:BucketPolicy":
		return statementFacts(in["policy"])
	case "aws:cloudtrail/trail:Trail":
		out := []string{fmt.Sprintf("name %s, multi-region %s, global events %s, log validation %s, logging %s",
			str(in["name"]), onOff(in["isMultiRegionTrail"]), onOff(in["includeGlobalServiceEvents"]),
			onOff(in["enableLogFileValidation"]), onOff(in["enableLogging"]))}
		if adv, ok := in["advancedEventSelectors"]; ok {
			out = append(out, "advanced event selectors: "+compact(adv))
		} else {
			out = append(out, "event selectors: "+compact(in["eventSelectors"]))
		}
		var insights []string
		if arr, ok := in["insightSelectors"].([]any); ok {
			for _, s := range arr {
				if m, ok := s.(map[string]any); ok {
					insights = append(insights, str(m["insightType"]))
				}
			}
		}
		if len(insights) == 0 {
			insights = []string{"off"}
		}
		return append(out, "insights: "+strings.Join(insights, ", "))
	case "aws:s3/bucketObjectv2:BucketObjectv2":
		return []string{
			fmt.Sprintf("key %s, %s, acl %s", str(in["key"]), str(in["contentType"]), str(in["acl"])),
			fmt.Sprintf("encryption %s with key %s, bucket key %s", str(in["serverSideEncryption"]), str(in["kmsKeyId"]), onOff(in["bucketKeyEnabled"])),
			"source: " + compact(in["source"]),
		}
	}
	return nil
}

// statementFacts lists a policy's statements: who may do what.
func statementFacts(doc any) []string {
	m, ok := doc.(map[string]any)
	if !ok {
		return nil
	}
	var out []string
	stmts, _ := m["Statement"].([]any)
	for _, s := range stmts {
		st, ok := s.(map[string]any)
		if !ok {
			continue
		}
		line := fmt.Sprintf("statement %q: %s %s to %s on %s", str(st["Sid"]), str(st["Effect"]),
			compact(st["Action"]), compact(st["Principal"]), compact(st["Resource"]))
		if c, ok := st["Condition"]; ok {
			line += " if " + compact(c)
		}
		out = append(out, line)
	}
	return out
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return "-"
	case string:
		return x
	case float64:
		return fmt.Sprintf("%g", x)
	case json.Number:
		return x.String()
	}
	return compact(v)
}

func onOff(v any) string {
	switch v {
	case true:
		return "on"
	case false:
		return "off"
	}
	return str(v)
}

// compact renders any value as single-line JSON (strings unquoted).
func compact(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return strings.ReplaceAll(string(b), `\u0026`, "&")
}
