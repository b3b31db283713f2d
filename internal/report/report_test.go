package report

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected texts below are the shapes docs/report.md documents.

func TestWriteChecks(t *testing.T) {
	tests := []struct {
		name   string
		checks []Check
		want   string
	}{
		{"verify's comparison shows the expectation only where it differs",
			[]Check{
				{Name: "key.exists", Status: Pass, Expected: "arn:k", Observed: "arn:k"},
				{Name: "key.rotation", Status: Fail, Expected: "enabled", Observed: "disabled"},
				{Name: "trail.logging", Status: Unknown, Expected: "logging", Observed: "AWS throttled this read; retry in a minute"},
			},
			"pass     key.exists     arn:k\n" +
				"fail     key.rotation   disabled (expected: enabled)\n" +
				"unknown  trail.logging  AWS throttled this read; retry in a minute (expected: logging)\n" +
				"3 checks: 1 pass, 1 fail, 1 unknown\n"},
		{"preflight's detail, a warn counted",
			[]Check{
				{Name: "account", Status: Pass, Detail: "account 123456789012"},
				{Name: "management-events", Status: Warn, Detail: "another trail logs management events"},
			},
			"pass     account            account 123456789012\n" +
				"warn     management-events  another trail logs management events\n" +
				"2 checks: 1 pass, 0 fail, 1 warn\n"},
		{"a hint follows what was seen",
			[]Check{{Name: "key.alias", Status: Fail, Detail: "no key has the alias alias/myFirstKey", Hint: "create it (task 1)"}},
			"fail     key.alias  no key has the alias alias/myFirstKey. Hint: create it (task 1)\n" +
				"1 check: 0 pass, 1 fail\n"},
		{"no checks", nil, "0 checks: 0 pass, 0 fail\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, WriteChecks(&b, tt.checks))
			assert.Equal(t, tt.want, b.String())
		})
	}
}

func TestWriteJSON(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"lower-case status, empty fields left out, no HTML escaping",
			Checks{Checks: []Check{{Name: "bucket.policy", Status: Fail, Detail: "a <b> & c"}}},
			"{\n  \"checks\": [\n    {\n      \"name\": \"bucket.policy\",\n      \"status\": \"fail\",\n      \"detail\": \"a <b> & c\"\n    }\n  ]\n}\n"},
		{"verify's fields", Check{Name: "key.rotation", Status: Unknown, Expected: "enabled", Observed: "AWS throttled this read; retry in a minute"},
			"{\n  \"name\": \"key.rotation\",\n  \"status\": \"unknown\",\n  \"expected\": \"enabled\",\n  \"observed\": \"AWS throttled this read; retry in a minute\"\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, WriteJSON(&b, tt.v))
			assert.Equal(t, tt.want, b.String())
		})
	}
}

func TestWorst(t *testing.T) {
	tests := []struct {
		name string
		in   []Status
		want Status
	}{
		{"nothing passes", nil, Pass},
		{"a warn does not lower a pass", []Status{Pass, Warn}, Pass},
		{"an unknown is not a fail", []Status{Pass, Unknown}, Unknown},
		{"an error is unknown in a group", []Status{Error, Pass}, Unknown},
		{"any fail fails", []Status{Unknown, Fail, Pass}, Fail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assert.Equal(t, tt.want, Worst(tt.in...)) })
	}
}

func TestChecksFailed(t *testing.T) {
	assert.False(t, (&Checks{Checks: []Check{{Status: Unknown}, {Status: Warn}}}).Failed(), "unknown and warn never fail a run")
	assert.True(t, (&Checks{Checks: []Check{{Status: Pass}, {Status: Fail}}}).Failed())
}
