package drift

import (
	"sort"
	"strings"
)

// Change is one resource that no longer matches its code.
type Change struct {
	URN      string `json:"urn"`
	Type     string `json:"type"`
	Resource string `json:"resource"` // e.g. "KMS key lab-key"
	// Op is what `pulumi up` would do: update, replace, create (the
	// resource is gone) or delete.
	Op         string           `json:"op"`
	Properties []PropertyChange `json:"properties,omitempty"`
	Revert     string           `json:"revert"` // what `pulumi up` would do
	Accept     string           `json:"accept"` // what `pulumi refresh` would do
}

// PropertyChange is one changed property of a resource.
type PropertyChange struct {
	Path string `json:"path"`
	Kind string `json:"kind"`
	// Summary says it for people, e.g. "key policy: key users now [...]".
	Summary string `json:"summary"`
	Now     any    `json:"now,omitempty"`  // the value in AWS (refreshed state)
	Code    any    `json:"code,omitempty"` // the value the program declares
	// Setting is the stack setting that would keep the new value, if one does.
	Setting string `json:"setting,omitempty"`
}

// Ops that change a resource. A replacement shows as create-replacement,
// replace and delete-replaced for one URN; "replace" stands for the three.
var changeOps = map[string]bool{"update": true, "replace": true, "create": true, "delete": true}

// resourceLabels names the program's resource types the way the lab does.
var resourceLabels = map[string]string{
	"aws:kms/key:Key":                                        "KMS key",
	"aws:kms/alias:Alias":                                    "key alias",
	"aws:cloudtrail/trail:Trail":                             "trail",
	"aws:s3/bucketV2:BucketV2":                               "log bucket",
	"aws:s3/bucketPolicy:BucketPolicy":                       "bucket policy",
	"aws:s3/bucketObjectv2:BucketObjectv2":                   "lab image object",
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls": "bucket ownership controls",
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "bucket public access block",
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": "bucket default encryption",
}

// changes lists the resources the preview would change, sorted by URN.
func changes(d digest) []Change {
	var out []Change
	for _, s := range d.Steps {
		typ := s.Type()
		if !changeOps[s.Op] || !managed(typ) {
			continue
		}
		c := Change{URN: s.URN, Type: typ, Resource: label(typ, s.name()), Op: s.Op}
		c.Properties = properties(s, typ)
		c.Revert, c.Accept = remedies(c)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URN < out[j].URN })
	return out
}

// managed: a custom resource in AWS, not the stack, a provider or one of
// the program's components (those hold no cloud state of their own).
func managed(typ string) bool {
	if typ == "pulumi:pulumi:Stack" || strings.HasPrefix(typ, "pulumi:providers:") {
		return false
	}
	return strings.Contains(typ, "/")
}

func label(typ, name string) string {
	if l, ok := resourceLabels[typ]; ok {
		return l + " " + name
	}
	return typ + " " + name
}

func properties(s step, typ string) []PropertyChange {
	paths := make([]string, 0, len(s.DetailedDiff))
	kinds := map[string]string{}
	for p, d := range s.DetailedDiff {
		paths = append(paths, p)
		kinds[p] = d.Kind
	}
	if s.DetailedDiff == nil {
		for _, p := range s.DiffReasons {
			paths = append(paths, p)
			kinds[p] = "update"
		}
	}
	// The provider mirrors tags into tagsAll; the tag itself is the change.
	has := map[string]bool{}
	for _, p := range paths {
		has[p] = true
	}
	sort.Strings(paths)
	var out []PropertyChange
	for _, p := range paths {
		if rest, ok := strings.CutPrefix(p, "tagsAll"); ok && has["tags"+rest] {
			continue
		}
		now, code := lookup(s.OldState, p, true), lookup(s.NewState, p, false)
		out = append(out, describe(typ, p, kinds[p], now, code)...)
	}
	return out
}

// lookup reads a property path such as tags.class or eventSelectors[0].readWriteType.
// The old state's outputs are what AWS has after the refresh; the new
// state's inputs are what the program declares.
func lookup(st *state, path string, outputs bool) any {
	if st == nil {
		return nil
	}
	var v any = st.Inputs
	if outputs && st.Outputs != nil {
		v = st.Outputs
	}
	for _, key := range splitPath(path) {
		switch x := v.(type) {
		case map[string]any:
			v = x[key]
		case []any:
			i := 0
			for _, r := range key {
				if r < '0' || r > '9' {
					return nil
				}
				i = i*10 + int(r-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// splitPath splits a Pulumi property path: a.b[0]["c.d"].
func splitPath(path string) []string {
	var parts []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			parts = append(parts, cur.String())
			cur.Reset()
		}
	}
	for i := 0; i < len(path); i++ {
		switch c := path[i]; c {
		case '.':
			flush()
		case '[':
			flush()
			end := strings.IndexByte(path[i:], ']')
			if end < 0 {
				cur.WriteString(path[i+1:])
				i = len(path)
				continue
			}
			parts = append(parts, strings.Trim(path[i+1:i+end], `"`))
			i += end
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return parts
}
