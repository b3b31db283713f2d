package report

import "fmt"

// Status is a verdict on a check, a task, a cell or an account.
type Status string

// The verdicts, as text and JSON show them.
const (
	// Pass: what was seen is what the lab asks for.
	Pass Status = "pass"
	// Fail: what was seen is not what the lab asks for. Only an observation
	// may fail; a read that did not answer is Unknown.
	Fail Status = "fail"
	// Warn: seen and acceptable, but worth a look; it never fails a run.
	Warn Status = "warn"
	// Unknown: could not be judged (access denied, throttled, a 5xx, a
	// timeout, logs not delivered yet); the detail says when to retry.
	Unknown Status = "unknown"
	// Error: the thing could not be checked at all (class status: an
	// account that could not be reached with its stack's credentials).
	Error Status = "error"
)

// statuses are every verdict, in the order summaries count them; each call
// returns a new slice.
func statuses() []Status { return []Status{Pass, Fail, Warn, Unknown, Error} }

// valid reports whether s is one of the verdicts.
func (s Status) valid() bool {
	switch s {
	case Pass, Fail, Warn, Unknown, Error:
		return true
	}
	return false
}

// UnmarshalText refuses a word outside the vocabulary, such as the old
// "ok" or "FAIL", so that reading an old report says so.
func (s *Status) UnmarshalText(b []byte) error {
	st := Status(b)
	if !st.valid() {
		return fmt.Errorf("status %q: not one of pass, fail, warn, unknown, error", string(b))
	}
	*s = st
	return nil
}
