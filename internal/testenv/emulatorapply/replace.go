package emulatorapply

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/kms-lab/kms-lab/internal/plan"
)

// replacer swaps identifiers the mock engine invented for the emulator's
// real ones. Replacement is by substring, because the identifiers also
// appear inside ARNs, URLs and policy resources (a bucket name in
// "arn:aws:s3:::<bucket>/AWSLogs/..."); the mock values are long random
// strings (a UUID, 26 generated characters) that occur nowhere by accident.
type replacer struct {
	pairs map[string]string
}

func newReplacer() *replacer { return &replacer{pairs: map[string]string{}} }

// add records that mock stands for real from now on.
func (r *replacer) add(mock, real string) {
	if mock != "" && mock != real {
		r.pairs[mock] = real
	}
}

// value returns a deep copy of v with every mock identifier replaced.
func (r *replacer) value(v any) any {
	switch t := v.(type) {
	case string:
		return r.str(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = r.value(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = r.value(e)
		}
		return out
	case []string:
		out := make([]string, len(t))
		for i, e := range t {
			out[i] = r.str(e)
		}
		return out
	case map[string]string:
		out := make(map[string]string, len(t))
		for k, e := range t {
			out[k] = r.str(e)
		}
		return out
	}
	return v
}

func (r *replacer) str(s string) string {
	mocks := make([]string, 0, len(r.pairs))
	for m := range r.pairs {
		mocks = append(mocks, m)
	}
	// Longest first, so a key ARN is replaced whole before the key ID in it.
	sort.Slice(mocks, func(i, j int) bool {
		if len(mocks[i]) != len(mocks[j]) {
			return len(mocks[i]) > len(mocks[j])
		}
		return mocks[i] < mocks[j]
	})
	for _, m := range mocks {
		s = strings.ReplaceAll(s, m, r.pairs[m])
	}
	return s
}

// checkResolved refuses values the plan could not know: applying
// "[unknown]" or "[secret]" would create something else than the program.
func checkResolved(v any, path string) error {
	switch t := v.(type) {
	case string:
		if t == plan.Unknown || t == plan.Masked {
			return fmt.Errorf("input %s is %s in the plan; the applier needs the value", strings.TrimPrefix(path, "."), t)
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(t)) {
			if err := checkResolved(t[k], path+"."+k); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range t {
			if err := checkResolved(e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}
