package report

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
